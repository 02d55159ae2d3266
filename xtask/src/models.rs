//! `cargo xtask models`: the registry, one line per model.

use model::registry;
use model::segmentation::{SEGMENTATION_MODELS, segmentation_entry};

/// Arguments of `cargo xtask models`.
#[derive(clap::Args)]
pub struct ModelsArgs {
    /// Print the list as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: ModelsArgs) -> anyhow::Result<()> {
    let entries = registry::entries();
    let segmenters: Vec<_> = SEGMENTATION_MODELS
        .iter()
        .filter_map(|n| segmentation_entry(n))
        .collect();
    if args.json {
        let mut list: Vec<_> = entries
            .iter()
            .map(|e| {
                serde_json::json!({
                    "name": e.name,
                    "task": "classify",
                    "description": e.description,
                    "paper": e.paper,
                    "default_input": e.default_input,
                    "default_classes": e.default_classes,
                })
            })
            .collect();
        list.extend(segmenters.iter().map(|e| {
            serde_json::json!({
                "name": e.name,
                "task": "segment",
                "paper": e.paper,
                "default_input": e.default_input,
                "default_classes": e.default_classes,
            })
        }));
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    println!("{:<18} {:>6}  description (paper)", "name", "input");
    for e in entries {
        println!(
            "{:<18} {:>6}  {} ({})",
            e.name, e.default_input, e.description, e.paper
        );
    }
    println!(
        "\nsegmentation networks (`cargo xtask train --model NAME` trains them with --task segment):"
    );
    for e in segmenters {
        println!(
            "{:<18} {:>6}  {} classes by default ({})",
            e.name, e.default_input, e.default_classes, e.paper
        );
    }
    Ok(())
}
