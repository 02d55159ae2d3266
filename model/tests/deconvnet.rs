//! DeconvNet: output size equals the input size, and a tiny DeconvNet overfits two images+masks
//! (gradients flow through the unpooling switches and every deconvolution).

use burn::module::Module;
use burn::tensor::{Device, Distribution, Int, Tensor, TensorData};
use model::deconvnet::DeconvNetConfig;

#[test]
fn output_has_the_input_size() {
    let device = Device::flex();
    let net = DeconvNetConfig::new(3)
        .with_in_channels(1)
        .with_base_width(4)
        .with_fc_width(16)
        .init(&device)
        .expect("deconvnet");
    for (h, w) in [(32, 32), (28, 28), (64, 36)] {
        let x = Tensor::<4>::random([2, 1, h, w], Distribution::Normal(0.0, 1.0), &device);
        assert_eq!(net.forward(x).dims(), [2, 3, h, w], "{h}×{w}");
    }
}

#[test]
fn tiny_deconvnet_overfits_two_images_and_masks() {
    let device = Device::flex().autodiff();
    device.seed(9);
    let mut net = DeconvNetConfig::new(2)
        .with_in_channels(1)
        .with_base_width(8)
        .with_fc_width(16)
        .init(&device)
        .expect("deconvnet");
    // Two 64×64 images with squares in different places (batch norm needs more than one value per
    // map at the 2×2 pool5 resolution), and their masks.
    let (h, w) = (64, 64);
    let mut img = vec![0.0f32; 2 * h * w];
    let mut mask = vec![0i64; 2 * h * w];
    for (n, (y0, x0)) in [(10usize, 12usize), (30, 26)].into_iter().enumerate() {
        for y in y0..y0 + 20 {
            for x in x0..x0 + 24 {
                img[n * h * w + y * w + x] = 1.0;
                mask[n * h * w + y * w + x] = 1;
            }
        }
    }
    let x = Tensor::<4>::from_data(TensorData::new(img, [2, 1, h, w]), &device);
    let y = Tensor::<3, Int>::from_data(TensorData::new(mask.clone(), [2, h, w]), &device);
    let mut optim = burn::optim::AdamConfig::new().init();
    for _ in 0..100 {
        let logits = net
            .forward(x.clone())
            .permute([0, 2, 3, 1])
            .reshape([2 * h * w, 2]);
        let loss = burn::tensor::activation::log_softmax(logits, 1)
            .gather(1, y.clone().reshape([2 * h * w, 1]))
            .mean()
            .neg();
        let grads = burn::optim::GradientsParams::from_grads(loss.backward(), &net);
        net = optim.step(0.01, net, grads);
    }
    let pred: Vec<f32> = net
        .valid()
        .forward(x.inner())
        .argmax(1)
        .float()
        .into_data()
        .try_to_vec()
        .expect("f32");
    let correct = pred
        .iter()
        .zip(&mask)
        .filter(|(a, b)| **a as i64 == **b)
        .count();
    assert!(
        correct as f64 >= 0.99 * (h * w) as f64,
        "{correct} of {}",
        h * w
    );
}
