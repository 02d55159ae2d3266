//! `cargo xtask models`: the registry, one line per model.

use model::registry;

/// Arguments of `cargo xtask models`.
#[derive(clap::Args)]
pub struct ModelsArgs {
    /// Print the list as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: ModelsArgs) -> anyhow::Result<()> {
    let entries = registry::entries();
    if args.json {
        let list: Vec<_> = entries
            .iter()
            .map(|e| {
                serde_json::json!({
                    "name": e.name,
                    "description": e.description,
                    "paper": e.paper,
                    "default_input": e.default_input,
                    "default_classes": e.default_classes,
                })
            })
            .collect();
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
        "\nsegmentation networks (`cargo xtask train --task segment --model NAME`, `cargo xtask summary NAME`):\n  {}",
        model::segmentation::SEGMENTATION_MODELS.join(", ")
    );
    Ok(())
}
