//! Averaging one step's gradients over the ranks: every parameter's gradient (in the module's
//! visiting order, the same on every rank) is packed into one `f32` buffer with a presence flag
//! per parameter, summed by one all-reduce, divided by the rank count and unpacked. A parameter
//! that has a gradient on no rank (batch-norm running statistics, an unused head) stays without
//! one, so the optimiser leaves it alone as on one device.

use burn::module::{Module, ModuleVisitor, Param};
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor, TensorData};

use super::collective::Collective;

/// Replace `grads` (of `module`) by their mean over the processes of `world`.
pub fn average<M: Module>(
    module: &M,
    grads: GradientsParams,
    world: &dyn Collective,
) -> GradientsParams {
    let size = world.size();
    if size == 1 {
        return grads;
    }
    let mut pack = Pack {
        grads,
        values: Vec::new(),
        flags: Vec::new(),
        device: None,
    };
    module.visit(&mut pack);
    let Pack {
        grads,
        mut values,
        flags,
        device,
    } = pack;
    let n_values = values.len();
    values.extend(flags.iter().map(|&f| if f { 1.0 } else { 0.0 }));
    world.all_reduce_sum(&mut values);
    let scale = 1.0 / size as f32;
    let (sums, flags) = values.split_at(n_values);
    let mut unpack = Unpack {
        grads,
        values: sums.iter().map(|v| v * scale).collect(),
        flags: flags.iter().map(|&f| f > 0.5).collect(),
        next_value: 0,
        next_param: 0,
        device,
    };
    module.visit(&mut unpack);
    unpack.grads
}

/// First pass: take each parameter's gradient out as `f32` values (zeros when absent).
struct Pack {
    grads: GradientsParams,
    values: Vec<f32>,
    flags: Vec<bool>,
    device: Option<Device>,
}

impl ModuleVisitor for Pack {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let n = param.lazy_shape().num_elements();
        match self.grads.remove::<D>(param.id) {
            Some(grad) => {
                self.device.get_or_insert_with(|| grad.device());
                let data = grad.into_data().convert::<f32>();
                match data.try_into_vec::<f32>() {
                    Ok(v) if v.len() == n => self.values.extend(v),
                    _ => self.values.extend(std::iter::repeat_n(0.0, n)),
                }
                self.flags.push(true);
            }
            None => {
                self.values.extend(std::iter::repeat_n(0.0, n));
                self.flags.push(false);
            }
        }
    }
}

/// Second pass: register the averaged gradient of each parameter some rank had one for.
struct Unpack {
    grads: GradientsParams,
    values: Vec<f32>,
    flags: Vec<bool>,
    next_value: usize,
    next_param: usize,
    device: Option<Device>,
}

impl ModuleVisitor for Unpack {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let shape = param.lazy_shape();
        let n = shape.num_elements();
        let range = self.next_value..self.next_value + n;
        self.next_value += n;
        let present = self.flags.get(self.next_param).copied().unwrap_or(false);
        self.next_param += 1;
        if !present {
            return;
        }
        let device = self
            .device
            .clone()
            .unwrap_or_else(|| param.val().device().inner());
        let data = TensorData::new(self.values[range].to_vec(), shape);
        self.grads
            .register::<D>(param.id, Tensor::<D>::from_data(data, &device));
    }
}
