//! `activations`: sigmoid, tanh, ReLU, leaky ReLU, ELU and maxout in the same deep network with
//! the same initialisation (Var = 1/n_in, LeCun et al. 1998): the gradient norm of every layer at
//! initialisation (vanishing gradients) and the training curves.
//!
//! Glorot & Bengio 2010; Nair & Hinton 2010; Maas, Hannun & Ng 2013 (leaky ReLU); Clevert,
//! Unterthiner & Hochreiter 2016 (ELU); Goodfellow et al. 2013 (maxout).

use model::init::InitScheme;

use super::common::{CURVES, figure, fit_variant, momentum, per_layer, ranking_of};
use super::common::{training_curves, untrained};
use crate::lab::mlp::{Act, MlpSpec};
use crate::lab::plots::{Chart, Series};
use crate::lab::probe::weight_grad_norms;
use crate::lab::report::fmt;
use crate::lab::{Ctx, LabError, Report};

/// The lecture's claim under test.
const CLAIM: &str = "Saturating activations (sigmoid, tanh) make gradients vanish towards the \
     input layers; rectifiers keep them alive and train faster.";

/// The papers the experiment draws on.
const REFERENCES: [&str; 4] = [
    "Glorot & Bengio 2010, Understanding the difficulty of training deep feedforward neural networks",
    "Maas, Hannun & Ng 2013, Rectifier nonlinearities improve neural network acoustic models",
    "Clevert, Unterthiner & Hochreiter 2016, Fast and accurate deep network learning by ELUs",
    "Goodfellow, Warde-Farley, Mirza, Courville & Bengio 2013, Maxout networks",
];

/// The activations compared.
pub const ACTS: [Act; 6] = [
    Act::Sigmoid,
    Act::Tanh,
    Act::Relu,
    Act::LeakyRelu,
    Act::Elu,
    Act::Maxout,
];

/// Hidden layers of the network.
pub const DEPTH: usize = 8;

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("mnist", ctx.size(20000, 1000), ctx.size(5000, 500))?;
    let epochs = ctx.epochs(5, 1);
    let width = 128;
    let lr = 0.01;
    let mut report = Report::new("activations", CLAIM).cite(&REFERENCES);
    report.setup("data", data.describe());
    report.setup("network", format!("{DEPTH} hidden layers of {width} units (maxout: 2 pieces), weights N(0, 1/n_in), biases 0"));
    report.setup(
        "gradients",
        "‖∂L/∂W‖ of every layer on the first 500 training images, at initialisation",
    );
    let cfg = momentum(ctx, epochs, 64, lr);
    report.setup(
        "training",
        format!("{epochs} epoch(s), batch 64, SGD momentum 0.9, lr {lr}"),
    );
    let probe: Vec<usize> = (0..500.min(data.train.len())).collect();
    let (x, y) = data.train.batch(&probe, &ctx.device);
    let mut grad_series = Vec::new();
    let mut runs = Vec::new();
    for act in ACTS {
        let name = act.name();
        let spec = MlpSpec {
            act,
            init: InitScheme::XavierFanIn,
            ..MlpSpec::new(data.train.dim, width, DEPTH, data.classes)
        };
        let grads = weight_grad_norms(&untrained(ctx, &spec), &spec, x.clone(), y.clone())?;
        let fitted = fit_variant(ctx, name, &spec, &data, &cfg)?;
        let ratio = grads[0] / grads[DEPTH - 1];
        report
            .row(name)
            .per_layer("grad", &grads)
            .number("first_over_last", ratio)
            .text("activation", name)
            .fmt("‖∇W‖ layer 1", grads[0])
            .fmt("‖∇W‖ layer 8", grads[DEPTH - 1])
            .fmt("layer 1 / layer 8", ratio)
            .fmt("final train loss", fitted.final_value(|p| p.train_loss))
            .test_acc(&fitted)
            .end();
        grad_series.push(Series::new(name, per_layer(&grads, DEPTH)));
        runs.push((name.to_string(), fitted));
    }
    let title = "‖∂L/∂W‖ per layer at initialisation";
    let chart = Chart::new(
        title,
        "layer (1 = next to the input)",
        "gradient norm",
        grad_series,
    );
    figure(
        ctx,
        &mut report,
        "gradient_norms.png",
        &[chart.log_scale(true)],
        "Norm of the weight gradient of each layer at initialisation (log scale): a falling curve towards layer 1 is a vanishing gradient.",
    )?;
    training_curves(ctx, &mut report, &runs, false, CURVES)?;
    let (sig, relu) = (report.get("sigmoid/grad/1"), report.get("relu/grad/1"));
    let orders = (relu / sig).log10();
    let [ratio_sigmoid, ratio_tanh, ratio_relu] =
        report.each(["sigmoid", "tanh", "relu"], "first_over_last", fmt);
    let (sig, relu) = (fmt(sig), fmt(relu));
    report.conclusions = vec![
        format!(
            "At initialisation the first layer's weight gradient is {sig} with sigmoid and {relu} with ReLU: {orders:.1} orders of magnitude smaller; from layer {DEPTH} down to layer 1 it changes by a factor {ratio_sigmoid} (sigmoid), {ratio_tanh} (tanh), {ratio_relu} (ReLU)."
        ),
        format!(
            "Test accuracy after {epochs} epoch(s), best first: {}.",
            ranking_of(&runs)
        ),
    ];
    report.number("orders_sigmoid_below_relu", orders);
    Ok(report)
}
