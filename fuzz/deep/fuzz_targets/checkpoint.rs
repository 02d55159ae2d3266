//! `train::load::load_weights`, the checkpoint loader of `--resume`, `evaluate` and `infer`, on an
//! arbitrary `.bpk` file loaded into a LeNet-5 classifier (28×28 grey, two classes): an error naming
//! the file, never a panic, and a header claiming huge tensors refused before it allocates.
#![no_main]

use burn::tensor::Device;
use model::registry::ModelArgs;
use train::classifier::Classifier;
use train::regularization::Regularization;

thread_local! {
    static FRESH: Classifier = {
        let args = ModelArgs { num_classes: 2, in_channels: 1, input_size: 28 };
        let network = model::registry::config("lenet5", args)
            .expect("lenet5")
            .init(&Device::flex())
            .expect("init");
        Classifier::new(network, Regularization::none(), 0.0)
    };
}

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let path = std::env::temp_dir().join(format!("fuzz-ckpt-{}.bpk", std::process::id()));
    if std::fs::write(&path, bytes).is_err() {
        return;
    }
    let fresh = FRESH.with(Clone::clone);
    if let Err(e) = train::load::load_weights(fresh, &path) {
        let message = e.to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
    }
});
