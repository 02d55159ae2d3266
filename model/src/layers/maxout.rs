//! Maxout units (Goodfellow, Warde-Farley, Mirza, Courville & Bengio, "Maxout Networks",
//! ICML 2013).
//!
//! A maxout unit outputs the maximum of k affine pieces, `h_i(x) = max_{j ∈ 1..k} z_ij` with
//! `z = xᵀW + b`; it learns a convex piecewise-linear activation. [`Maxout`] is the max part on
//! its own: features come in groups of `k` **consecutive** channels (channel `i·k + j` is piece
//! `j` of unit `i`), and each group is reduced to its maximum. After a convolution it gives the
//! convolutional maxout of the paper, after a linear layer the fully connected one;
//! [`MaxoutLinear`] bundles the latter.
//!
//! # Shapes
//! - [`Maxout::forward`]: `[batch, k·C, ...]` -> `[batch, C, ...]` (rank 2 or more), e.g.
//!   `[B, k·C, H, W] -> [B, C, H, W]` and `[B, k·C] -> [B, C]`
//! - [`MaxoutLinear::forward`]: `[batch, d_input]` -> `[batch, d_output]`

use burn::config::Config;
use burn::module::Module;
use burn::nn::{Initializer, Linear, LinearConfig};
use burn::tensor::{Device, Tensor};

use super::error::{LayerError, check_non_zero};

/// Configuration of a [`Maxout`] layer.
#[derive(Config, Debug)]
pub struct MaxoutConfig {
    /// Pieces per unit, k ≥ 1 (k = 1 is the identity).
    pub pieces: usize,
}

/// Maximum over groups of `pieces` consecutive channels (see the module documentation).
#[derive(Module, Debug)]
pub struct Maxout {
    /// Pieces per unit, k.
    pub pieces: usize,
}

impl MaxoutConfig {
    /// Builds the layer, or rejects zero pieces.
    pub fn init(&self) -> Result<Maxout, LayerError> {
        check_non_zero("Maxout", "pieces", &[self.pieces])?;
        Ok(Maxout {
            pieces: self.pieces,
        })
    }
}

impl Maxout {
    /// Takes the maximum over each group of `pieces` consecutive channels (dimension 1).
    ///
    /// # Shapes
    /// - input: `[batch, k·C, ...]`, rank `D ≥ 2`
    /// - output: `[batch, C, ...]`
    ///
    /// # Panics
    /// If `D < 2` or the channel count is not a multiple of `pieces`.
    pub fn forward<const D: usize>(&self, input: Tensor<D>) -> Tensor<D> {
        assert!(
            D >= 2,
            "Maxout: the input needs a batch and a channel dimension"
        );
        let dims = input.dims();
        let k = self.pieces;
        assert!(
            dims[1].is_multiple_of(k),
            "Maxout: {} channels are not a multiple of {k} pieces",
            dims[1]
        );
        let units = dims[1] / k;
        let rest: usize = dims[2..].iter().product();
        let grouped: Tensor<4> = input.reshape([dims[0], units, k, rest]);
        let mut out_dims = dims;
        out_dims[1] = units;
        grouped.max_dim(2).reshape(out_dims)
    }
}

/// Configuration of a [`MaxoutLinear`] layer.
#[derive(Config, Debug)]
pub struct MaxoutLinearConfig {
    /// Input features.
    pub d_input: usize,
    /// Output units C.
    pub d_output: usize,
    /// Pieces per unit, k.
    pub pieces: usize,
    /// Whether the affine pieces have biases.
    #[config(default = true)]
    pub bias: bool,
    /// Initialisation of the affine pieces (default: Linear's).
    #[config(default = "crate::layers::default_initializer()")]
    pub initializer: Initializer,
}

/// A fully connected maxout layer: `k·C` affine pieces followed by [`Maxout`].
#[derive(Module, Debug)]
pub struct MaxoutLinear {
    /// The affine pieces, `d_input -> pieces·d_output`.
    pub linear: Linear,
    /// The max over each unit's pieces.
    pub maxout: Maxout,
}

impl MaxoutLinearConfig {
    /// Builds the layer, or rejects a zero size.
    pub fn init(&self, device: &Device) -> Result<MaxoutLinear, LayerError> {
        check_non_zero(
            "MaxoutLinear",
            "d_input, d_output, pieces",
            &[self.d_input, self.d_output, self.pieces],
        )?;
        let linear = LinearConfig::new(self.d_input, self.pieces * self.d_output)
            .with_bias(self.bias)
            .with_initializer(self.initializer.clone())
            .init(device);
        let maxout = MaxoutConfig::new(self.pieces).init()?;
        Ok(MaxoutLinear { linear, maxout })
    }
}

impl MaxoutLinear {
    /// Applies the affine pieces then the maximum over each unit's pieces.
    ///
    /// # Shapes
    /// - input: `[batch, d_input]`
    /// - output: `[batch, d_output]`
    pub fn forward(&self, input: Tensor<2>) -> Tensor<2> {
        self.maxout.forward(self.linear.forward(input))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::{Distribution, TensorData};

    fn device() -> Device {
        Device::flex()
    }

    fn tensor<const D: usize>(values: &[f32], shape: [usize; D], device: &Device) -> Tensor<D> {
        Tensor::from_data(TensorData::new(values.to_vec(), shape), device)
    }

    fn floats<const D: usize>(t: Tensor<D>) -> Vec<f32> {
        t.into_data().convert::<f32>().try_to_vec::<f32>().unwrap()
    }

    #[test]
    fn maxout_by_hand() {
        let dev = device();
        let maxout = MaxoutConfig::new(2).init().unwrap();
        // Four channels of two pixels: units are channels {0, 1} and {2, 3}.
        let x = tensor(&[1., -5., 3., -2., 0., 7., -1., 8.], [1, 4, 1, 2], &dev);
        let y = maxout.forward(x);
        assert_eq!(y.dims(), [1, 2, 1, 2]);
        assert_eq!(floats(y), [3., -2., 0., 8.]);

        // Linear maxout: [B, k·C] -> [B, C], k = 3.
        let maxout = MaxoutConfig::new(3).init().unwrap();
        let x = tensor(
            &[1., 5., 2., 0., -1., -3., -4., -6., -5., 9., 9., 1.],
            [2, 6],
            &dev,
        );
        let y = maxout.forward(x);
        assert_eq!(y.dims(), [2, 2]);
        assert_eq!(floats(y), [5., 0., -4., 9.]);

        assert!(matches!(
            MaxoutConfig::new(0).init(),
            Err(LayerError::ZeroSize { .. })
        ));
    }

    #[test]
    fn maxout_linear_is_the_max_of_its_affine_pieces() {
        let dev = device();
        let layer = MaxoutLinearConfig::new(7, 4, 3).init(&dev).unwrap();
        let x = Tensor::<2>::random([2, 7], Distribution::Normal(0., 1.), &dev);
        let pieces = floats(layer.linear.forward(x.clone()));
        let y = layer.forward(x);
        assert_eq!(y.dims(), [2, 4]);
        let expected: Vec<f32> = pieces
            .chunks(3)
            .map(|unit| unit.iter().copied().fold(f32::MIN, f32::max))
            .collect();
        assert_eq!(floats(y), expected);
    }

    #[test]
    #[should_panic(expected = "not a multiple")]
    fn maxout_rejects_channels_not_divisible_by_pieces() {
        let maxout = MaxoutConfig::new(3).init().unwrap();
        maxout.forward(Tensor::<4>::zeros([1, 4, 2, 2], &device()));
    }
}
