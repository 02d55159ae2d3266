//! `cargo xtask summary <model>`: per-layer output shapes, parameters and multiply-adds.

use anyhow::{Context, bail};
use burn::module::Module;
use model::backend::BackendKind;
use model::registry::{self, ModelArgs, Registered};
use model::summary::summarize;

/// Arguments of `cargo xtask summary`.
#[derive(clap::Args)]
pub struct SummaryArgs {
    /// Registry name of the model (see `cargo xtask models`).
    model: String,
    /// Number of output classes (default: the variant's own, 1000 or 10).
    #[arg(long)]
    num_classes: Option<usize>,
    /// Input shape as C,H,W (square images; default: the variant's own size).
    #[arg(long, value_name = "C,H,W")]
    input: Option<String>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    /// Backend that runs the traced forward pass.
    #[arg(long, default_value = "flex")]
    backend: String,
}

fn parse_input(text: &str) -> anyhow::Result<[usize; 3]> {
    let parts: Vec<usize> = text
        .split(',')
        .map(|p| p.trim().parse::<usize>())
        .collect::<Result<_, _>>()
        .with_context(|| format!("--input `{text}` must be three integers C,H,W"))?;
    match parts[..] {
        [c, h, w] if c > 0 && h > 0 && h == w => Ok([c, h, w]),
        [_, h, w] if h != w => bail!("--input `{text}`: only square inputs are supported (H = W)"),
        _ => bail!("--input `{text}` must be three positive integers C,H,W"),
    }
}

fn human(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

pub fn run(args: SummaryArgs) -> anyhow::Result<()> {
    let found = registry::find(&args.model)?;
    let input = match &args.input {
        Some(text) => parse_input(text)?,
        None => found.default_input(),
    };
    let classes = args.num_classes.unwrap_or(found.default_classes());
    let entry = match found {
        Registered::Segmenter(_) => return run_segmentation(&args, input, classes),
        Registered::Classifier(entry) => entry,
    };
    let model_args = ModelArgs {
        num_classes: classes,
        in_channels: input[0],
        input_size: input[1],
    };
    let device = args.backend.parse::<BackendKind>()?.device()?;
    let config = entry.config(model_args);
    let summary = summarize(&config, input, &device)?;
    if args.json {
        return print_json(&summary, &entry.name, &config);
    }
    println!("{} — {} ({})", entry.name, entry.description, entry.paper);
    print_table(&summary, model_args.num_classes);
    Ok(())
}

fn run_segmentation(args: &SummaryArgs, input: [usize; 3], classes: usize) -> anyhow::Result<()> {
    let config = model::segmentation::segmentation_config(&args.model, classes, input[0])?;
    let device = args.backend.parse::<BackendKind>()?.device()?;
    let network = config.init(&device)?.valid();
    let summary = model::summary::summarize_module(&network, input, &device, |n, x, tr| {
        n.forward_traced(x, tr).dims().to_vec()
    });
    if args.json {
        return print_json(&summary, &args.model, &config);
    }
    println!("{} — segmentation network", args.model);
    print_table(&summary, classes);
    Ok(())
}

fn print_table(summary: &model::summary::Summary, classes: usize) {
    let input = summary.input;
    println!("input {:?}, {} classes\n", input, classes);
    println!("layer: torchvision-style name; module: the real module path of its weights\n");
    println!(
        "{:<32} {:<32} {:<18} {:<20} {:>14} {:>16}",
        "layer", "module", "type", "output", "params", "MACs"
    );
    for row in &summary.layers {
        println!(
            "{:<32} {:<32} {:<18} {:<20} {:>14} {:>16}",
            row.name,
            row.module.as_deref().unwrap_or("-"),
            row.kind,
            format!("{:?}", &row.output_shape[1..]),
            human(row.params as u128),
            human(row.macs as u128)
        );
    }
    println!(
        "\ntotal trainable parameters: {}",
        human(summary.total_params as u128)
    );
    println!(
        "total multiply-adds per image: {}",
        human(summary.total_macs as u128)
    );
    if let Some(cmp) = &summary.first_conv {
        println!(
            "weight sharing: `{}` has {} parameters; a fully connected layer mapping the same input to the same output would need {} weights",
            cmp.layer,
            human(cmp.conv_params as u128),
            human(cmp.dense_weights)
        );
    }
}

/// The summary as JSON, with the model's name and config.
fn print_json(
    summary: &impl serde::Serialize,
    model: &str,
    config: &impl serde::Serialize,
) -> anyhow::Result<()> {
    let mut value = serde_json::to_value(summary)?;
    value["model"] = serde_json::Value::String(model.to_string());
    value["config"] = serde_json::to_value(config)?;
    println!("{}", serde_json::to_string_pretty(&value)?);
    Ok(())
}
