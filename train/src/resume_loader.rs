//! The training loader of a resumed run, replaying the shuffles of the epochs already trained.
//!
//! Burn's data loader draws each epoch's order from one seeded generator, advanced by every
//! `iter()`; a resumed process starts that generator afresh, so without this its epoch k+1 would
//! see epoch 1's order and the run would drift from the uninterrupted one. [`SkipEpochs`] starts
//! `k` iterations (each dropped at once, so at most one batch of each is ever loaded) before the
//! first real one, leaving the generator where the uninterrupted run had it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use burn::data::dataloader::{DataLoader, DataLoaderIterator};
use burn::tensor::Device;

/// A loader that skips `epochs` whole iterations before its first.
pub struct SkipEpochs<O> {
    inner: Arc<dyn DataLoader<O>>,
    remaining: AtomicUsize,
}

impl<O> SkipEpochs<O> {
    /// `inner`, its first `epochs` iterations skipped.
    pub fn new(inner: Arc<dyn DataLoader<O>>, epochs: usize) -> Self {
        Self {
            inner,
            remaining: AtomicUsize::new(epochs),
        }
    }
}

impl<O: 'static> DataLoader<O> for SkipEpochs<O> {
    fn iter<'a>(&'a self) -> Box<dyn DataLoaderIterator<O> + 'a> {
        while self
            .remaining
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            drop(self.inner.iter());
        }
        self.inner.iter()
    }

    fn num_items(&self) -> usize {
        self.inner.num_items()
    }

    fn to_device(&self, device: &Device) -> Arc<dyn DataLoader<O>> {
        Arc::new(Self::new(
            self.inner.to_device(device),
            self.remaining.load(Ordering::SeqCst),
        ))
    }

    fn slice(&self, start: usize, end: usize) -> Arc<dyn DataLoader<O>> {
        Arc::new(Self::new(
            self.inner.slice(start, end),
            self.remaining.load(Ordering::SeqCst),
        ))
    }
}
