//! The `filters` experiment at `--quick` size on real MNIST: `alexnet_small` trained here beats
//! chance and its first-layer filters measurably leave their initial values; the pictures decode
//! with the sizes their grids imply. Then the same experiment reads a trained run (`--run`).

use std::path::{Path, PathBuf};

#[path = "common/runs.rs"]
mod runs;
#[path = "common/tiny_run.rs"]
mod tiny;

use train::lab::{ExperimentName, Report};

fn run_filters(out: &Path, run: Option<PathBuf>) -> Report {
    train::lab::run(ExperimentName::Filters, &tiny::lab_options(out, run)).unwrap()
}

/// `[width, height]` of a decoded PNG.
fn png_size(path: &Path) -> [u32; 2] {
    let img = image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    [img.width(), img.height()]
}

/// A tile grid of `n` tiles of `side` px enlarged `scale` times in rows of `cols`
/// (4 px gaps, 14 px labels).
fn grid(n: u32, cols: u32, side: u32, scale: u32, label: bool) -> [u32; 2] {
    let rows = n.div_ceil(cols);
    let cell = side * scale + 4;
    [
        cols * cell + 4,
        rows * (cell + if label { 14 } else { 0 }) + 4,
    ]
}

#[test]
fn alexnet_small_learns_first_layer_filters_that_leave_their_initialisation() {
    let _guard = runs::one_at_a_time();
    let out = runs::fresh_dir("here");
    let r = run_filters(&out, None);
    let dir = out.join("filters");
    assert_eq!(
        r.get("filters"),
        64.0,
        "alexnet_small's first layer has 64 filters"
    );
    assert!(
        r.get("test_acc") > 2.0 * r.get("chance"),
        "accuracy {} vs chance {}",
        r.get("test_acc"),
        r.get("chance")
    );
    // Trained filters differ measurably from the initial ones.
    assert!(r.get("change/median_relative") > 0.02, "{:?}", r.numbers);
    assert!(r.get("change/mean_abs_delta") > 0.0);
    assert!(r.get("trained/mean_abs_w") != r.get("initial/mean_abs_w"));
    // Random 5×5 filters have neighbour correlation ≈ −1/24; fractions are fractions.
    assert!(r.get("initial/smoothness").abs() < 0.1, "{:?}", r.numbers);
    for key in [
        "structured_fraction",
        "changed_fraction",
        "maps/silent_fraction",
    ] {
        assert!((0.0..=1.0).contains(&r.get(key)), "{key}");
    }
    assert!(r.conclusions.iter().any(|c| c.contains("test accuracy")));
    // The pictures decode with the sizes of their grids.
    let scale = 48 / 5;
    assert_eq!(
        png_size(&dir.join("filters.png")),
        grid(64, 16, 5, scale, false)
    );
    assert_eq!(
        png_size(&dir.join("filters_initial.png")),
        grid(64, 16, 5, scale, false)
    );
    assert_eq!(
        png_size(&dir.join("feature_maps1.png")),
        grid(65, 13, 28, 3, true)
    );
    assert_eq!(
        png_size(&dir.join("feature_maps2.png")),
        grid(64, 16, 13, 4, false)
    );
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert_eq!(
        html.matches("src=\"data:image/png;base64,").count(),
        r.pictures.len()
    );
    assert!(r.pictures.len() >= 5, "{:?}", r.pictures);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn filters_reads_the_best_weights_of_a_trained_run() {
    let _guard = runs::one_at_a_time();
    let out = runs::fresh_dir("run");
    let run_dir = out.join("lenet-run");
    tiny::tiny_run(&run_dir);
    let r = run_filters(&out, Some(run_dir.clone()));
    // LeNet-5's first layer: 6 filters of 5×5 on one channel, compared with a fresh draw.
    assert_eq!(r.get("filters"), 6.0);
    assert!(r.get("test_acc") > 2.0 * r.get("chance"), "{:?}", r.numbers);
    assert!(
        r.get("change/median_relative").is_nan(),
        "no initial weights in a run"
    );
    assert!(
        r.setup
            .iter()
            .any(|(k, v)| k == "run" && v.contains("lenet5") && v.contains("best.bpk"))
    );
    let dir = out.join("filters");
    assert_eq!(
        png_size(&dir.join("filters.png")),
        grid(6, 6, 5, 48 / 5, false)
    );
    assert!(
        !dir.join("feature_maps2.png").exists(),
        "only AlexNet's second layer is drawn"
    );
    // A folder that is no run is refused with its name.
    let missing = Some(out.join("no-such-run"));
    let err =
        train::lab::run(ExperimentName::Filters, &tiny::lab_options(&out, missing)).unwrap_err();
    assert!(err.to_string().contains("no-such-run"), "{err}");
    let _ = std::fs::remove_dir_all(&out);
}
