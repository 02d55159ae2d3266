//! Sliding-window patches ("im2col") for the windowed layers of this module.
//!
//! Burn's `unfold4d` is a dense convolution with a one-hot `[C·kh·kw, C, kh, kw]` kernel, whose
//! cost grows with C². The same columns come from a grouped convolution (one group per channel)
//! with a one-hot `[kh·kw, 1, kh, kw]` kernel per channel, at a cost linear in C; the layout is
//! `unfold4d`'s: row `c·kh·kw + i·kw + j` holds channel c's pixel (i, j) of each window.

use burn::tensor::module::conv2d;
use burn::tensor::ops::ConvOptions;
use burn::tensor::{Tensor, TensorData};

/// Columns `[batch, channels·kh·kw, out_h·out_w]` of the zero-padded input's windows, windows in
/// row-major order.
pub(crate) fn patches(
    input: Tensor<4>,
    kernel_size: [usize; 2],
    stride: [usize; 2],
    padding: [usize; 2],
) -> Tensor<3> {
    let [batch, channels, _, _] = input.dims();
    let window = kernel_size[0] * kernel_size[1];
    let one_hot: Vec<f32> = (0..window * window)
        .map(|i| if i / window == i % window { 1.0 } else { 0.0 })
        .collect();
    let weight = Tensor::<4>::from_data(
        TensorData::new(one_hot, [window, 1, kernel_size[0], kernel_size[1]]),
        (&input.device(), input.dtype()),
    )
    .repeat_dim(0, channels);
    let columns = conv2d(
        input,
        weight,
        None,
        ConvOptions::new(stride, padding, [1, 1], channels),
    );
    let [_, _, out_h, out_w] = columns.dims();
    columns.reshape([batch, channels * window, out_h * out_w])
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::module::unfold4d;
    use burn::tensor::ops::UnfoldOptions;
    use burn::tensor::{Device, Distribution};

    #[test]
    fn patches_have_the_layout_of_unfold4d() {
        let device = Device::flex();
        let x = Tensor::<4>::random([2, 3, 7, 6], Distribution::Normal(0., 1.), &device);
        for (kernel, stride, padding) in [([3, 2], [2, 1], [1, 0]), ([2, 2], [2, 2], [0, 0])] {
            let ours = patches(x.clone(), kernel, stride, padding);
            let burn = unfold4d(
                x.clone(),
                kernel,
                UnfoldOptions::new(stride, padding, [1, 1]),
            );
            assert_eq!(ours.dims(), burn.dims());
            let diff: f32 = (ours - burn).abs().max().into_scalar();
            assert!(diff < 1e-6, "max difference {diff}");
        }
    }
}
