//! `activations`: sigmoid, tanh, ReLU, leaky ReLU, ELU and maxout in the same deep network with
//! the same initialisation (Var = 1/n_in, LeCun et al. 1998): the gradient norm of every layer at
//! initialisation (vanishing gradients) and the training curves.
//!
//! Glorot & Bengio 2010; Nair & Hinton 2010; Maas, Hannun & Ng 2013 (leaky ReLU); Clevert,
//! Unterthiner & Hochreiter 2016 (ELU); Goodfellow et al. 2013 (maxout).

use model::init::InitScheme;

use super::common::{budget, ranking, training_curves};
use crate::lab::fit::{Fitted, fit};
use crate::lab::mlp::{Act, MlpSpec};
use crate::lab::plots::{Chart, Series, charts};
use crate::lab::probe::weight_grad_norms;
use crate::lab::report::{fmt, pct};
use crate::lab::variants::write_variant;
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;

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
    let mut report = Report::new(
        "activations",
        "Saturating activations (sigmoid, tanh) make gradients vanish towards the input layers; \
         rectifiers keep them alive and train faster.",
    );
    report.references = vec![
        "Glorot & Bengio 2010, Understanding the difficulty of training deep feedforward neural networks".into(),
        "Maas, Hannun & Ng 2013, Rectifier nonlinearities improve neural network acoustic models".into(),
        "Clevert, Unterthiner & Hochreiter 2016, Fast and accurate deep network learning by ELUs".into(),
        "Goodfellow, Warde-Farley, Mirza, Courville & Bengio 2013, Maxout networks".into(),
    ];
    report.setup("data", data.describe());
    report.setup("network", format!("{DEPTH} hidden layers of {width} units (maxout: 2 pieces), weights N(0, 1/n_in), biases 0"));
    report.setup(
        "gradients",
        "‖∂L/∂W‖ of every layer on the first 500 training images, at initialisation",
    );
    report.setup(
        "training",
        format!("{epochs} epoch(s), batch 64, SGD momentum 0.9, lr {lr}"),
    );
    report.columns = [
        "activation",
        "‖∇W‖ layer 1",
        "‖∇W‖ layer 8",
        "layer 1 / layer 8",
        "final train loss",
        "test acc",
    ]
    .map(String::from)
    .to_vec();
    let probe: Vec<usize> = (0..500.min(data.train.len())).collect();
    let mut grad_series = Vec::new();
    let mut runs: Vec<(String, Fitted)> = Vec::new();
    let mut accs = Vec::new();
    for act in ACTS {
        let spec = MlpSpec {
            act,
            init: InitScheme::XavierFanIn,
            ..MlpSpec::new(data.train.dim, width, DEPTH, data.classes)
        };
        ctx.device.seed(ctx.opts.seed);
        let net = spec.init(&ctx.device);
        let (x, y) = data.train.batch(&probe, &ctx.device);
        let grads = weight_grad_norms(&net, &spec, x, y)?;
        let fitted = fit(
            &spec,
            &data,
            &budget(
                epochs,
                64,
                OptimizerConfig::momentum(0.9),
                lr,
                ctx.opts.seed,
            ),
            &ctx.device,
        )?;
        write_variant(ctx, act.name(), &fitted)?;
        let name = act.name();
        for (i, g) in grads.iter().enumerate() {
            report.number(format!("{name}/grad/{}", i + 1), *g);
        }
        let ratio = grads[0] / grads[DEPTH - 1];
        report.number(format!("{name}/first_over_last"), ratio);
        report.number(format!("{name}/test_acc"), fitted.test_acc());
        let train_loss = fitted.last().map_or(f64::NAN, |p| p.train_loss);
        report.rows.push(vec![
            name.into(),
            fmt(grads[0]),
            fmt(grads[DEPTH - 1]),
            fmt(ratio),
            fmt(train_loss),
            pct(fitted.test_acc()),
        ]);
        accs.push((name.to_string(), fitted.test_acc()));
        grad_series.push(Series::new(
            name,
            grads
                .iter()
                .take(DEPTH)
                .enumerate()
                .map(|(i, g)| ((i + 1) as f64, *g))
                .collect(),
        ));
        runs.push((name.to_string(), fitted));
    }
    let refs: Vec<(String, &Fitted)> = runs.iter().map(|(n, f)| (n.clone(), f)).collect();
    charts(
        &ctx.path("gradient_norms.png"),
        &[Chart {
            title: "‖∂L/∂W‖ per layer at initialisation".into(),
            x_label: "layer (1 = next to the input)".into(),
            y_label: "gradient norm".into(),
            log_y: true,
            series: grad_series,
        }],
        1,
    )?;
    report.picture("gradient_norms.png", "Norm of the weight gradient of each layer at initialisation (log scale): a falling curve towards layer 1 is a vanishing gradient.");
    training_curves(
        ctx,
        &mut report,
        &refs,
        false,
        "Training loss per iteration and test accuracy per epoch.",
    )?;
    let numbers = report.numbers.clone();
    let g = |k: &str| numbers.get(k).copied().unwrap_or(f64::NAN);
    let (sig, relu) = (g("sigmoid/grad/1"), g("relu/grad/1"));
    let orders = (relu / sig).log10();
    report.number("orders_sigmoid_below_relu", orders);
    let c1 = format!(
        "At initialisation the first layer's weight gradient is {} with sigmoid and {} with ReLU: {:.1} orders of magnitude smaller; from layer {DEPTH} down to layer 1 it changes by a factor {} (sigmoid), {} (tanh), {} (ReLU).",
        fmt(sig),
        fmt(relu),
        orders,
        fmt(g("sigmoid/first_over_last")),
        fmt(g("tanh/first_over_last")),
        fmt(g("relu/first_over_last"))
    );
    let c2 = format!(
        "Test accuracy after {epochs} epoch(s), best first: {}.",
        ranking(&accs)
    );
    report.conclusions = vec![c1, c2];
    Ok(report)
}
