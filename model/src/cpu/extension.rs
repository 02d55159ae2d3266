//! Our kernels as Burn backend operations (`#[backend_extension]`), for the Flex CPU backend and
//! for Autodiff over Flex, where each operation registers its own backward step: the gradients
//! are the closed forms of [`conv`](super::conv) and [`batch_norm`](super::batch_norm), not a
//! graph of the many small operations Burn would record.

use burn::backend::autodiff::Autodiff;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::flex::FlexTensor;
use burn::backend::tensor::FloatTensor;
use burn::backend::{AutodiffBackend, Backend, Flex, backend_extension};
use burn::tensor::{Shape, TensorData};

use super::batch_norm::{self, Layout, Post, Tail};
use super::conv;
use super::geometry::ConvGeometry;
use super::pool::{self, PoolGeometry};

/// Which direction of a convolution geometry an operation computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConvKind {
    /// The convolution itself: input `c_in × h × w` → output `c_out × oh × ow`.
    Conv,
    /// Its adjoint, the transposed convolution: `c_out × oh × ow` → `c_in × h × w`.
    Transposed,
}

/// Operations our CPU kernels provide.
#[backend_extension(Flex, Autodiff)]
pub trait CpuKernels: Backend {
    /// A convolution (or its adjoint) with an optional bias (`has_bias` says whether `bias` is one;
    /// without, any tensor may stand in its place and is ignored).
    fn cnn_conv(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
        has_bias: bool,
        geometry: ConvGeometry,
        kind: ConvKind,
    ) -> FloatTensor<Self>;

    /// Training-mode batch norm over `[B, C, H, W]`, then `+ residual` and the post-operation as
    /// `tail` says. Returns the output and the batch's mean and biased variance (constants).
    fn cnn_batch_norm_train(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        residual: FloatTensor<Self>,
        tail: Tail,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>);

    /// Square max pooling over `[B, C, H, W]`.
    fn cnn_max_pool(x: FloatTensor<Self>, geometry: PoolGeometry) -> FloatTensor<Self>;
}

/// Operations used outside training (no backward).
#[backend_extension(Flex)]
pub trait CpuInference: Backend {
    /// Evaluation-mode batch norm with the given statistics, then `+ residual` and the
    /// post-operation as `tail` says.
    fn cnn_batch_norm_eval(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        mean: FloatTensor<Self>,
        variance: FloatTensor<Self>,
        residual: FloatTensor<Self>,
        tail: Tail,
    ) -> FloatTensor<Self>;
}

/// A Flex tensor made contiguous, with its f32 values.
struct Dense(FlexTensor);

impl Dense {
    fn new(t: FlexTensor) -> Self {
        if t.as_slice::<f32>().is_some() {
            Self(t)
        } else {
            Self(t.to_contiguous())
        }
    }

    fn data(&self) -> &[f32] {
        // Contiguous f32 by construction; the public operations check the dtype before calling.
        self.0.as_slice::<f32>().unwrap_or(&[])
    }
}

fn tensor(values: Vec<f32>, dims: &[usize]) -> FlexTensor {
    FlexTensor::from_data(TensorData::new(values, Shape::from(dims.to_vec())))
}

fn nchw(g: &ConvGeometry, kind: ConvKind, output: bool) -> [usize; 4] {
    let input = [g.batch, g.c_in, g.h, g.w];
    let out = [g.batch, g.c_out, g.oh, g.ow];
    match (kind, output) {
        (ConvKind::Conv, false) | (ConvKind::Transposed, true) => input,
        (ConvKind::Conv, true) | (ConvKind::Transposed, false) => out,
    }
}

fn conv_forward(
    x: &Dense,
    w: &Dense,
    bias: Option<&Dense>,
    g: &ConvGeometry,
    kind: ConvKind,
) -> FlexTensor {
    let y = match kind {
        ConvKind::Conv => conv::forward(g, x.data(), w.data(), bias.map(Dense::data)),
        ConvKind::Transposed => {
            let mut y = conv::backward_data(g, x.data(), w.data());
            if let Some(b) = bias {
                let plane = g.in_plane();
                for (i, chunk) in y.chunks_mut(plane).enumerate() {
                    let v = b.data()[i % g.c_in];
                    chunk.iter_mut().for_each(|e| *e += v);
                }
            }
            y
        }
    };
    tensor(y, &nchw(g, kind, true))
}

impl CpuKernels for Flex {
    fn cnn_conv(
        x: FlexTensor,
        weight: FlexTensor,
        bias: FlexTensor,
        has_bias: bool,
        geometry: ConvGeometry,
        kind: ConvKind,
    ) -> FlexTensor {
        let bias = has_bias.then(|| Dense::new(bias));
        conv_forward(
            &Dense::new(x),
            &Dense::new(weight),
            bias.as_ref(),
            &geometry,
            kind,
        )
    }

    fn cnn_batch_norm_train(
        x: FlexTensor,
        gamma: FlexTensor,
        beta: FlexTensor,
        residual: FlexTensor,
        tail: Tail,
    ) -> (FlexTensor, FlexTensor, FlexTensor) {
        let dims = x.layout().shape().to_vec();
        let l = layout_of(&dims);
        let (x, gamma, beta) = (Dense::new(x), Dense::new(gamma), Dense::new(beta));
        let residual = tail.residual.then(|| Dense::new(residual));
        let (y, mean, var) = batch_norm::train_forward(
            l,
            x.data(),
            gamma.data(),
            beta.data(),
            residual.as_ref().map(Dense::data),
            tail.post,
            tail.epsilon,
        );
        (
            tensor(y, &dims),
            tensor(mean, &[l.channels]),
            tensor(var, &[l.channels]),
        )
    }

    fn cnn_max_pool(x: FlexTensor, geometry: PoolGeometry) -> FlexTensor {
        let g = &geometry;
        let (y, _) = pool::forward(g, Dense::new(x).data(), false);
        tensor(y, &[g.batch, g.channels, g.oh, g.ow])
    }
}
impl CpuInference for Flex {
    fn cnn_batch_norm_eval(
        x: FlexTensor,
        gamma: FlexTensor,
        beta: FlexTensor,
        mean: FlexTensor,
        variance: FlexTensor,
        residual: FlexTensor,
        tail: Tail,
    ) -> FlexTensor {
        let dims = x.layout().shape().to_vec();
        let l = layout_of(&dims);
        let [x, gamma, beta, mean, var] = [x, gamma, beta, mean, variance].map(Dense::new);
        let residual = tail.residual.then(|| Dense::new(residual));
        let y = batch_norm::eval_forward(
            l,
            x.data(),
            gamma.data(),
            beta.data(),
            mean.data(),
            var.data(),
            residual.as_ref().map(Dense::data),
            tail.post,
            tail.epsilon,
        );
        tensor(y, &dims)
    }
}

/// `[B, C, rest…]` as a batch-norm layout.
pub(crate) fn layout_of(dims: &[usize]) -> Layout {
    Layout {
        batch: dims.first().copied().unwrap_or(1),
        channels: dims.get(1).copied().unwrap_or(1),
        plane: dims.iter().skip(2).product(),
    }
}

/// The backward step of [`CpuKernels::cnn_conv`].
#[derive(Debug)]
struct ConvBackward {
    geometry: ConvGeometry,
    kind: ConvKind,
}

impl Backward<Flex, 3> for ConvBackward {
    type State = (FlexTensor, FlexTensor);

    fn backward(self, ops: Ops<Self::State, 3>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [node_x, node_w, node_b] = ops.parents;
        let dy = Dense::new(grads.consume::<Flex>(&ops.node));
        let (x, w) = ops.state;
        let (x, w) = (Dense::new(x), Dense::new(w));
        let g = &self.geometry;
        if let Some(node) = node_x {
            let dx = match self.kind {
                ConvKind::Conv => conv::backward_data(g, dy.data(), w.data()),
                ConvKind::Transposed => conv::forward(g, dy.data(), w.data(), None),
            };
            grads.register::<Flex>(node.id, tensor(dx, &nchw(g, self.kind, false)));
        }
        if let Some(node) = node_w {
            let dw = match self.kind {
                ConvKind::Conv => conv::backward_weight(g, x.data(), dy.data()),
                ConvKind::Transposed => conv::backward_weight(g, dy.data(), x.data()),
            };
            grads.register::<Flex>(node.id, tensor(dw, &[g.c_out, g.cg_in(), g.kh, g.kw]));
        }
        if let Some(node) = node_b {
            let [b, c, h, w] = nchw(g, self.kind, true);
            let db = conv::backward_bias(dy.data(), b, c, h * w);
            grads.register::<Flex>(node.id, tensor(db, &[c]));
        }
    }
}

/// The backward step of [`CpuKernels::cnn_batch_norm_train`].
#[derive(Debug)]
struct BatchNormBackward {
    post: Post,
    epsilon: f64,
}

impl Backward<Flex, 4> for BatchNormBackward {
    /// x, y, γ, μ, σ².
    type State = (FlexTensor, FlexTensor, FlexTensor, FlexTensor, FlexTensor);

    fn backward(self, ops: Ops<Self::State, 4>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [node_x, node_gamma, node_beta, node_residual] = ops.parents;
        let dy_t = grads.consume::<Flex>(&ops.node);
        let dims = dy_t.layout().shape().to_vec();
        // The output gradient's buffer becomes the input gradient (copied first only if shared
        // or strided).
        let mut grad = owned(dy_t);
        let [x, y, gamma, mean, var] = {
            let (x, y, g, m, v) = ops.state;
            [x, y, g, m, v].map(Dense::new)
        };
        let l = layout_of(&dims);
        let d = batch_norm::train_backward(
            l,
            x.data(),
            y.data(),
            grad.storage_mut::<f32>(),
            gamma.data(),
            mean.data(),
            var.data(),
            self.post,
            self.epsilon,
            node_residual.is_some(),
        );
        if let Some(node) = node_x {
            grads.register::<Flex>(node.id, grad);
        }
        if let Some(node) = node_gamma {
            grads.register::<Flex>(node.id, tensor(d.gamma, &[l.channels]));
        }
        if let Some(node) = node_beta {
            grads.register::<Flex>(node.id, tensor(d.beta, &[l.channels]));
        }
        if let (Some(node), Some(masked)) = (node_residual, d.masked) {
            grads.register::<Flex>(node.id, tensor(masked, &dims));
        }
    }
}

/// A contiguous f32 tensor whose buffer is its own and holds exactly its values, so that
/// `storage_mut` writes in place: `t` itself when it already is, else a copy.
fn owned(t: FlexTensor) -> FlexTensor {
    let dims = t.layout().shape().to_vec();
    let n: usize = dims.iter().product();
    let exact = t.layout().contiguous_offsets() == Some((0, n)) && t.bytes().len() == n * 4;
    if exact && t.is_unique() {
        t
    } else {
        tensor(Dense::new(t).data().to_vec(), &dims)
    }
}

/// The backward step of [`CpuKernels::cnn_max_pool`].
#[derive(Debug)]
struct MaxPoolBackward {
    geometry: PoolGeometry,
}

impl Backward<Flex, 1> for MaxPoolBackward {
    /// Each window's winner.
    type State = Vec<u32>;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [node_x] = ops.parents;
        let dy = Dense::new(grads.consume::<Flex>(&ops.node));
        if let Some(node) = node_x {
            let g = &self.geometry;
            let dx = pool::backward(g, dy.data(), &ops.state);
            grads.register::<Flex>(node.id, tensor(dx, &[g.batch, g.channels, g.h, g.w]));
        }
    }
}

impl<C: CheckpointStrategy> CpuKernels for Autodiff<Flex, C> {
    fn cnn_conv(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
        has_bias: bool,
        geometry: ConvGeometry,
        kind: ConvKind,
    ) -> FloatTensor<Self> {
        let step = ConvBackward { geometry, kind };
        // Without a bias, the stand-in is an untracked constant: it gets no gradient.
        let parents = [x.node(), weight.node(), bias.node()];
        let prepared = step.prepare::<C>(parents).compute_bound().stateful();
        let (xp, wp) = (x.into_primitive(), weight.into_primitive());
        let bp = has_bias.then(|| Dense::new(bias.into_primitive()));
        let (xd, wd) = (Dense::new(xp), Dense::new(wp));
        let output = conv_forward(&xd, &wd, bp.as_ref(), &geometry, kind);
        match prepared {
            OpsKind::Tracked(prep) => prep.finish((xd.0, wd.0), output),
            OpsKind::UnTracked(prep) => prep.finish(output),
        }
    }

    fn cnn_batch_norm_train(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        residual: FloatTensor<Self>,
        tail: Tail,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        let step = BatchNormBackward {
            post: tail.post,
            epsilon: tail.epsilon,
        };
        // Without a residual, the stand-in is an untracked constant: it gets no gradient.
        let parents = [x.node(), gamma.node(), beta.node(), residual.node()];
        let prepared = step.prepare::<C>(parents).compute_bound().stateful();
        let xp = x.into_primitive();
        let gp = gamma.into_primitive();
        let (y, mean, var) = Flex::cnn_batch_norm_train(
            xp.clone(),
            gp.clone(),
            beta.into_primitive(),
            residual.into_primitive(),
            tail,
        );
        let output = match prepared {
            OpsKind::Tracked(prep) => {
                prep.finish((xp, y.clone(), gp, mean.clone(), var.clone()), y)
            }
            OpsKind::UnTracked(prep) => prep.finish(y),
        };
        (output, Self::from_inner(mean), Self::from_inner(var))
    }

    fn cnn_max_pool(x: FloatTensor<Self>, geometry: PoolGeometry) -> FloatTensor<Self> {
        let g = geometry;
        let step = MaxPoolBackward { geometry };
        let prepared = step.prepare::<C>([x.node()]).compute_bound().stateful();
        let x = Dense::new(x.into_primitive());
        let dims = [g.batch, g.channels, g.oh, g.ow];
        match prepared {
            OpsKind::Tracked(prep) => {
                let (y, winners) = pool::forward(&g, x.data(), true);
                prep.finish(winners.unwrap_or_default(), tensor(y, &dims))
            }
            OpsKind::UnTracked(prep) => {
                prep.finish(tensor(pool::forward(&g, x.data(), false).0, &dims))
            }
        }
    }
}
