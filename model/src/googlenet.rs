//! GoogLeNet / Inception v1 — C. Szegedy et al., "Going deeper with convolutions", CVPR 2015.
//!
//! ImageNet layout (224 px): 7×7/2 conv (64) → 3×3/2 pool → 1×1 conv (64) → 3×3 conv (192) →
//! 3×3/2 pool → Inception 3a, 3b → pool → 4a–4e → 2×2/2 pool → 5a, 5b → global average pool →
//! dropout 0.2 → fully connected. Spatial sizes 112, 56, 28, 14, 7. Two auxiliary classifiers
//! (after 4a and 4d) are optional and only used in training (their losses weighted 0.3 in the paper).
//!
//! The default follows torchvision (convolutions with batch norm, ε = 0.001; 3×3 kernels in the
//! "5×5" branch): 6,624,904 parameters for 1000 classes without auxiliary heads. `paper_style`
//! restores the paper's biased convolutions without batch norm and the 5×5 kernels.
//! The small-input form (28–64 px) replaces the stem with one 3×3 convolution to 192 maps and drops
//! the first two poolings.

use burn::config::Config;
use burn::module::Module;
use burn::nn::{Dropout, DropoutConfig, Linear};
use burn::tensor::module::adaptive_avg_pool2d;
use burn::tensor::{Device, Tensor};

use crate::builders::{ConvBnRelu, linear, max_pool};
use crate::error::ModelError;
use crate::inception::{Inception, InceptionAux, InceptionPlan, UnitStyle};
use crate::init::InitScheme;
use crate::trace::Trace;

/// The nine Inception modules of the paper's Table 1:
/// (input, #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj).
const PLANS: [[usize; 7]; 9] = [
    [192, 64, 96, 128, 16, 32, 32],
    [256, 128, 128, 192, 32, 96, 64],
    [480, 192, 96, 208, 16, 48, 64],
    [512, 160, 112, 224, 24, 64, 64],
    [512, 128, 128, 256, 24, 64, 64],
    [512, 112, 144, 288, 32, 64, 64],
    [528, 256, 160, 320, 32, 128, 128],
    [832, 256, 160, 320, 32, 128, 128],
    [832, 384, 192, 384, 48, 128, 128],
];
const NAMES: [&str; 9] = ["3a", "3b", "4a", "4b", "4c", "4d", "4e", "5a", "5b"];

/// Configuration of [`GoogLeNet`].
#[derive(Config, Debug)]
pub struct GoogLeNetConfig {
    /// Number of output classes.
    pub num_classes: usize,
    /// Input channels.
    #[config(default = 3)]
    pub in_channels: usize,
    /// Input side in pixels.
    #[config(default = 224)]
    pub input_size: usize,
    /// Build the two auxiliary classifiers.
    #[config(default = false)]
    pub aux_logits: bool,
    /// Paper style: biased convolutions without batch norm and 5×5 kernels in the third branch.
    #[config(default = false)]
    pub paper_style: bool,
    /// Small-input stem for 28–64 px images.
    #[config(default = false)]
    pub small_input: bool,
    /// Dropout before the classifier.
    #[config(default = 0.2)]
    pub dropout: f64,
    /// Weight initialisation (torchvision draws N(0, 0.01²), truncated at ±2).
    #[config(default = "InitScheme::Gaussian { std: 0.01 }")]
    pub init: InitScheme,
    /// Divides every width (maps and hidden units) by this factor: reduced copies for tests and
    /// quick experiments (1 = the paper's network).
    #[config(default = 1)]
    pub width_divisor: usize,
}

/// GoogLeNet.
#[derive(Module, Debug)]
pub struct GoogLeNet {
    stem: Vec<ConvBnRelu>,
    small_input: bool,
    inception: Vec<Inception>,
    aux: Vec<InceptionAux>,
    dropout: Dropout,
    fc: Linear,
}

impl GoogLeNetConfig {
    /// Build the network.
    pub fn init(&self, device: &Device) -> Result<GoogLeNet, ModelError> {
        let min = if self.small_input { 16 } else { 64 };
        if self.input_size < min {
            return Err(ModelError::invalid(
                "GoogLeNet",
                format!(
                    "input {} px is below the minimum of {min}{}",
                    self.input_size,
                    if self.small_input {
                        ""
                    } else {
                        "; use googlenet_small"
                    }
                ),
            ));
        }
        let style = UnitStyle {
            bn_eps: (!self.paper_style).then_some(1e-3),
            wide_kernel: if self.paper_style { 5 } else { 3 },
            init: self.init,
        };
        let d = self.width_divisor;
        crate::builders::divide_widths("GoogLeNet", &PLANS.concat(), d)?;
        let stem = if self.small_input {
            vec![style.unit(self.in_channels, 192 / d, 3, device)]
        } else {
            let mut conv1 = style.unit(self.in_channels, 64 / d, 7, device);
            conv1.conv.stride = [2, 2];
            vec![
                conv1,
                style.unit(64 / d, 64 / d, 1, device),
                style.unit(64 / d, 192 / d, 3, device),
            ]
        };
        let inception = PLANS
            .iter()
            .map(|p| {
                let p = p.map(|w| w / d);
                let plan = InceptionPlan {
                    c_in: p[0],
                    ch1x1: p[1],
                    ch3x3_reduce: p[2],
                    ch3x3: p[3],
                    ch5x5_reduce: p[4],
                    ch5x5: p[5],
                    pool_proj: p[6],
                };
                Inception::new(plan, style, device)
            })
            .collect();
        let aux = if self.aux_logits {
            vec![
                InceptionAux::new(512, self.num_classes, d, style, device),
                InceptionAux::new(528, self.num_classes, d, style, device),
            ]
        } else {
            Vec::new()
        };
        Ok(GoogLeNet {
            stem,
            small_input: self.small_input,
            inception,
            aux,
            dropout: DropoutConfig::new(self.dropout).init(),
            fc: linear(1024 / d, self.num_classes, self.init, device),
        })
    }
}

impl GoogLeNet {
    /// Class scores `[B, num_classes]` for images `[B, C, H, W]` (auxiliary heads not run).
    pub fn forward(&self, x: Tensor<4>) -> Tensor<2> {
        self.run(x, &mut Trace::off(), false).0
    }

    /// Main scores and, when the network has auxiliary heads, their scores (after 4a and 4d).
    pub fn forward_with_aux(&self, x: Tensor<4>) -> (Tensor<2>, Vec<Tensor<2>>) {
        self.run(x, &mut Trace::off(), true)
    }

    /// Forward pass recording every layer into `tr` (auxiliary heads included when present).
    pub fn forward_traced(&self, x: Tensor<4>, tr: &mut Trace) -> Tensor<2> {
        self.run(x, tr, true).0
    }

    fn run(&self, x: Tensor<4>, tr: &mut Trace, with_aux: bool) -> (Tensor<2>, Vec<Tensor<2>>) {
        let mut x = x;
        for (i, unit) in self.stem.iter().enumerate() {
            x = unit.forward_traced(x, &format!("conv{}", i + 1), tr);
            if !self.small_input && (i == 0 || i == 2) {
                let n = if i == 0 { 1 } else { 2 };
                x = tr.op(
                    &format!("maxpool{n}"),
                    "MaxPool2d",
                    max_pool(x, 3, 2, 0, true),
                );
            }
        }
        let mut aux_out = Vec::new();
        for (i, module) in self.inception.iter().enumerate() {
            x = tr.scope(&format!("inception{}", NAMES[i]), |tr| {
                module.forward_traced(x, tr)
            });
            match NAMES[i] {
                "3b" => x = tr.op("maxpool3", "MaxPool2d", max_pool(x, 3, 2, 0, true)),
                "4e" => x = tr.op("maxpool4", "MaxPool2d", max_pool(x, 2, 2, 0, true)),
                "4a" | "4d" if with_aux => {
                    let k = if NAMES[i] == "4a" { 0 } else { 1 };
                    if let Some(head) = self.aux.get(k) {
                        let out = tr.scope(&format!("aux{}", k + 1), |tr| {
                            head.forward_traced(x.clone(), tr)
                        });
                        aux_out.push(out);
                    }
                }
                _ => {}
            }
        }
        let x = tr.op(
            "avgpool",
            "AdaptiveAvgPool2d",
            adaptive_avg_pool2d(x, [1, 1]),
        );
        let x = tr.op("flatten", "Flatten", x.flatten(1, 3));
        let x = tr.op("dropout", "Dropout", self.dropout.forward(x));
        (tr.linear("fc", &self.fc, self.fc.forward(x)), aux_out)
    }

    /// Whether the network carries auxiliary classifiers.
    pub fn has_aux(&self) -> bool {
        !self.aux.is_empty()
    }
}
