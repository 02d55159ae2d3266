//! Pixel-wise cross-entropy with an ignore id and the confusion-matrix metrics, against hand
//! computations.

use burn::tensor::{Device, Int, Tensor, TensorData};
use train::segmentation::{ConfusionMatrix, pixel_cross_entropy};

/// One image of 1×3 pixels and 2 classes: pixel 0 has logits (0, ln 3) and target 1 (p = 3/4),
/// pixel 1 has logits (0, 0) and target 0 (p = 1/2), pixel 2 is ignored (255).
fn example(device: &Device) -> (Tensor<4>, Tensor<3, Int>) {
    let ln3 = 3f32.ln();
    // [B=1, C=2, H=1, W=3]: channel 0 then channel 1.
    let logits = Tensor::<4>::from_data(
        TensorData::new(vec![0.0, 0.0, 5.0, ln3, 0.0, -5.0], [1, 2, 1, 3]),
        device,
    );
    let targets =
        Tensor::<3, Int>::from_data(TensorData::new(vec![1i64, 0, 255], [1, 1, 3]), device);
    (logits, targets)
}

#[test]
fn ignores_the_ignore_id_and_averages_over_valid_pixels() {
    let device = Device::flex();
    let (logits, targets) = example(&device);
    let loss = pixel_cross_entropy(logits, targets, 255, None).into_scalar::<f64>();
    let expected = (-(0.75f64).ln() + 2f64.ln()) / 2.0;
    assert!((loss - expected).abs() < 1e-6, "{loss} vs {expected}");
}

#[test]
fn class_weights_give_a_weighted_mean() {
    let device = Device::flex();
    let (logits, targets) = example(&device);
    let weights = Tensor::<1>::from_data(TensorData::new(vec![1.0f32, 3.0], [2]), &device);
    let loss = pixel_cross_entropy(logits, targets, 255, Some(weights)).into_scalar::<f64>();
    let expected = (3.0 * -(0.75f64).ln() + 2f64.ln()) / 4.0;
    assert!((loss - expected).abs() < 1e-6, "{loss} vs {expected}");
}

#[test]
fn ignored_pixels_get_no_gradient_and_an_all_ignored_batch_costs_nothing() {
    let device = Device::flex().autodiff();
    let (logits, targets) = example(&device);
    let logits = logits.require_grad();
    let grads = pixel_cross_entropy(logits.clone(), targets, 255, None).backward();
    let g: Vec<f32> = logits
        .grad(&grads)
        .expect("grad")
        .into_data()
        .try_to_vec()
        .expect("f32");
    // Layout [c0p0, c0p1, c0p2, c1p0, c1p1, c1p2]: pixel 2 is ignored.
    assert_eq!((g[2], g[5]), (0.0, 0.0));
    assert!(g[0] != 0.0 && g[4] != 0.0);

    let device = Device::flex();
    let (logits, _) = example(&device);
    let none = Tensor::<3, Int>::from_data(TensorData::new(vec![255i64; 3], [1, 1, 3]), &device);
    assert_eq!(
        pixel_cross_entropy(logits, none, 255, None).into_scalar::<f64>(),
        0.0
    );
}

#[test]
fn confusion_matrix_scores_by_hand() {
    let mut cm = ConfusionMatrix::new(4);
    // Targets (rows) and predictions (columns); the 255 pixel is skipped; class 3 never appears.
    cm.update(&[0, 0, 1, 1, 255, 2], &[0, 1, 1, 1, 0, 1], 255);
    assert_eq!(
        (cm.get(0, 0), cm.get(0, 1), cm.get(1, 1), cm.get(2, 1)),
        (1, 1, 2, 1)
    );
    assert!((cm.pixel_accuracy() - 3.0 / 5.0).abs() < 1e-12);
    // IoU0 = 1 / (2 + 1 − 1); IoU1 = 2 / (2 + 4 − 2); IoU2 = 0 / (1 + 0 − 0); class 3 has none.
    assert_eq!(cm.iou(), vec![Some(0.5), Some(0.5), Some(0.0), None]);
    assert!((cm.mean_iou() - 1.0 / 3.0).abs() < 1e-12);
}

#[test]
fn perfect_prediction_has_unit_scores() {
    let mut cm = ConfusionMatrix::new(3);
    cm.update(&[0, 1, 2, 2, 255], &[0, 1, 2, 2, 1], 255);
    assert_eq!(cm.pixel_accuracy(), 1.0);
    assert_eq!(cm.mean_iou(), 1.0);
}

#[test]
fn class_weights_are_undone_at_decision_time() {
    // Weights (2, 1, 0): decisions use logits − (ln 2, 0, 0) — class 2 (weight 0, never seen in
    // training) is not shifted. Pixel 0 scores (ln 2 + 0.1, 0, 0) → (0.1, 0, 0); pixel 1 scores
    // (0, 0, 0) → (−ln 2, 0, 0), so class 0 no longer wins ties it only won by its weight.
    use model::segmentation::segmentation_config;
    use train::regularization::Regularization;
    use train::segmentation::segmenter::Segmenter;

    let device = Device::flex();
    let net = segmentation_config("unet_small", 3, 1)
        .expect("config")
        .init(&device)
        .expect("net");
    let model = Segmenter::new(net, Regularization::none(), Some(vec![2.0, 1.0, 0.0]));
    let logits = Tensor::<4>::from_data(
        TensorData::new(vec![2f32.ln() + 0.1, 0.0, 0.0, 0.0, 0.0, 0.0], [1, 3, 1, 2]),
        &device,
    );
    let scores: Vec<f32> = model
        .decision_scores(logits)
        .into_data()
        .try_to_vec()
        .expect("f32");
    let expected = [0.1f32, -(2f32.ln()), 0.0, 0.0, 0.0, 0.0];
    for (got, want) in scores.iter().zip(expected) {
        assert!((got - want).abs() < 1e-6, "{scores:?}");
    }
    let plain = Segmenter::new(
        segmentation_config("unet_small", 3, 1)
            .expect("config")
            .init(&device)
            .expect("net"),
        Regularization::none(),
        None,
    );
    let same = Tensor::<4>::ones([1, 3, 1, 2], &device);
    assert_eq!(
        plain.decision_scores(same.clone()).into_data(),
        same.into_data()
    );
}
