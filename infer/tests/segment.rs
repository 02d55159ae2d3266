//! `infer` on a segmentation run: a tiny U-Net trained on synthetic scenes; the binary writes a
//! class-id mask and an overlay per image, the size of the image, whose ids match the scenes; mask
//! PNGs round-trip; class fractions agree with the mask; bad files and a missing --out are errors.

#[path = "../../train/tests/common/runs.rs"]
mod runs;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

#[path = "../../train/tests/common/seg_scenes.rs"]
mod seg_scenes;

use data::decode::decode_mask_file;
use data::mask_png::{encode_mask_png, write_mask_png};
use infer::segment::class_fractions;
use train::run_experiment;

struct Fixture {
    root: PathBuf,
    run: PathBuf,
    data: PathBuf,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let root = runs::fresh_dir("infer-seg");
        let data = root.join("data");
        seg_scenes::write_folder(&data);
        let run = root.join("run");
        let config = seg_scenes::tiny_unet(&data, 60);
        run_experiment(config, &runs::new_run(&run)).expect("training the fixture");
        Fixture { root, run, data }
    })
}

fn infer(args: &[&Path]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_infer"))
        .args(args)
        .output()
        .expect("run infer")
}

#[test]
fn mask_png_round_trips_every_id() {
    let ids: Vec<u8> = (0..=255u8).chain([0, 1, 255, 7]).collect();
    let dir = std::env::temp_dir().join(format!("cnn-mask-rt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("m.png");
    write_mask_png(&path, 20, 13, &ids).expect("write");
    assert_eq!(decode_mask_file(&path).expect("read"), (13, 20, ids));
    assert!(encode_mask_png(4, 4, &[0; 15]).is_err());
}

#[test]
fn fractions_count_the_mask() {
    let classes = vec!["background".to_string(), "a".to_string()];
    let shares = class_fractions(&[0, 0, 0, 1, 5, 0, 1, 0], &classes);
    let got: Vec<(usize, &str, f64)> = shares
        .iter()
        .map(|s| (s.id, s.class.as_str(), s.fraction))
        .collect();
    assert_eq!(
        got,
        vec![(0, "background", 0.625), (1, "a", 0.25), (5, "5", 0.125)]
    );
}

#[test]
fn binary_writes_masks_and_overlays_that_match_the_scenes() {
    let f = fixture();
    let out = f.root.join("masks");
    let images = f.data.join("test").join("images");
    // A resized copy: outputs follow the input's own size.
    let (big, _) = seg_scenes::scene(8);
    let wide = f.root.join("wide.png");
    image::imageops::resize(&big, 40, 24, image::imageops::FilterType::Nearest)
        .save(&wide)
        .expect("wide");
    let bad = f.root.join("truncated.png");
    let bytes = std::fs::read(images.join("s8.png")).expect("read");
    std::fs::write(&bad, &bytes[..bytes.len() / 2]).expect("write");
    let result = infer(&[
        Path::new("--run"),
        &f.run,
        Path::new("--out"),
        &out,
        &images,
        &wide,
        &bad,
    ]);
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("truncated.png"), "{stderr}");
    assert!(!out.join("truncated_mask.png").exists());

    for i in 8..12 {
        let mask_path = out.join(format!("s{i}_mask.png"));
        let overlay = image::open(out.join(format!("s{i}_overlay.png"))).expect("overlay");
        assert_eq!((overlay.width(), overlay.height()), (16, 16));
        let (h, w, ids) = decode_mask_file(&mask_path).expect("mask");
        assert_eq!((h, w), (16, 16));
        let (_, truth) = seg_scenes::scene(i);
        let right = ids
            .iter()
            .zip(truth.as_raw())
            .filter(|(a, b)| a == b)
            .count();
        assert!(right >= 16 * 16 * 9 / 10, "scene {i}: {right} of 256 right");
        let line = stdout
            .lines()
            .find(|l| l.contains(&format!("s{i}.png")))
            .expect("a line per image");
        assert!(line.contains("background") && line.contains('%'), "{line}");
    }
    let (h, w, _) = decode_mask_file(&out.join("wide_mask.png")).expect("wide mask");
    assert_eq!((h, w), (24, 40));
}

#[test]
fn json_fractions_sum_to_one_and_missing_out_is_an_error() {
    let f = fixture();
    let out = f.root.join("json-masks");
    let image = f.data.join("test").join("images").join("s9.png");
    let result = infer(&[
        Path::new("--run"),
        &f.run,
        Path::new("--format"),
        Path::new("json"),
        Path::new("--out"),
        &out,
        &image,
    ]);
    assert_eq!(result.status.code(), Some(0));
    let parsed: serde_json::Value = serde_json::from_slice(&result.stdout).expect("json");
    let fractions = parsed[0]["fractions"].as_array().expect("fractions");
    let total: f64 = fractions
        .iter()
        .map(|s| s["fraction"].as_f64().expect("number"))
        .sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");

    let missing = infer(&[Path::new("--run"), &f.run, &image]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--out"));
}
