//! `cargo bench -p model --bench kernels`: our CPU kernels alone (model::cpu) on the 3×3 layers
//! of ResNet-20 (28 px) and ResNet-18 (32 px) at batch 64 — forward, input gradient, weight
//! gradient, and the fused batch norm + ReLU forward and backward.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use model::cpu::batch_norm::{self, Layout, Post};
use model::cpu::conv;
use model::cpu::geometry::ConvGeometry;

fn layer(batch: usize, channels: usize, side: usize) -> ConvGeometry {
    ConvGeometry {
        batch,
        c_in: channels,
        h: side,
        w: side,
        c_out: channels,
        kh: 3,
        kw: 3,
        oh: side,
        ow: side,
        stride: [1, 1],
        pad: [1, 1],
        dilation: [1, 1],
        groups: 1,
    }
}

fn values(n: usize, seed: usize) -> Vec<f32> {
    (0..n)
        .map(|i| ((i * 7919 + seed) % 1000) as f32 / 1000.0 - 0.5)
        .collect()
}

fn kernels(c: &mut Criterion) {
    model::cpu::enabled();
    let mut group = c.benchmark_group("conv3x3");
    group.sample_size(10);
    for (channels, side) in [
        (16, 28),
        (32, 14),
        (64, 7),
        (64, 32),
        (128, 16),
        (256, 8),
        (512, 4),
    ] {
        let g = layer(64, channels, side);
        let x = values(g.batch * g.c_in * g.in_plane(), 1);
        let w = values(g.c_out * g.col_rows(), 2);
        let dy = values(g.batch * g.c_out * g.out_plane(), 3);
        let macs = (g.batch * g.c_out * g.col_rows() * g.out_plane()) as u64;
        group.throughput(Throughput::Elements(2 * macs));
        let id = format!("{channels}ch_{side}px");
        group.bench_function(BenchmarkId::new("forward", &id), |b| {
            b.iter(|| conv::forward(&g, &x, &w, None))
        });
        group.bench_function(BenchmarkId::new("input_grad", &id), |b| {
            b.iter(|| conv::backward_data(&g, &dy, &w))
        });
        group.bench_function(BenchmarkId::new("weight_grad", &id), |b| {
            b.iter(|| conv::backward_weight(&g, &x, &dy))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("batch_norm_relu");
    group.sample_size(10);
    for (channels, side) in [(16, 28), (64, 32)] {
        let l = Layout {
            batch: 64,
            channels,
            plane: side * side,
        };
        let n = 64 * channels * side * side;
        let (x, dy) = (values(n, 4), values(n, 5));
        let (gamma, beta) = (vec![1.0f32; channels], vec![0.1f32; channels]);
        let (y, mean, var) =
            batch_norm::train_forward(l, &x, &gamma, &beta, None, Post::Relu, 1e-5);
        group.throughput(Throughput::Elements(n as u64));
        let id = format!("{channels}ch_{side}px");
        group.bench_function(BenchmarkId::new("train_forward", &id), |b| {
            b.iter(|| batch_norm::train_forward(l, &x, &gamma, &beta, None, Post::Relu, 1e-5))
        });
        group.bench_function(BenchmarkId::new("train_backward", &id), |b| {
            b.iter(|| {
                let mut grad = dy.clone();
                batch_norm::train_backward(
                    l,
                    &x,
                    &y,
                    &mut grad,
                    &gamma,
                    &mean,
                    &var,
                    Post::Relu,
                    1e-5,
                    false,
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, kernels);
criterion_main!(benches);
