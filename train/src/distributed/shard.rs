//! Each rank's share of every epoch, as PyTorch's `DistributedSampler` deals it: the epoch's
//! permutation of the training set (from the run's seed and the epoch number, the same on every
//! rank), padded by repeating its first items to a multiple of the rank count, then every
//! `size`-th item from the rank's own offset. The shards of one epoch are disjoint (but for the
//! padding) and of equal size, so every rank takes the same number of steps; batch `s` of the
//! ranks together is batch `s` of the one-rank run (items `s·B .. (s+1)·B` of the permutation).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use burn::data::dataloader::batcher::Batcher;
use burn::data::dataloader::{DataLoader, DataLoaderIterator, Progress};
use burn::data::dataset::transform::PartialDataset;
use burn::data::dataset::{Dataset, DatasetError};
use burn::tensor::Device;

use crate::ExperimentConfig;
use crate::split::permutation;

/// The indices rank `rank` of `size` reads in one epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardPlan {
    indices: Vec<usize>,
}

/// A stream of the epoch permutations distinct from the validation split's (which uses the seed).
fn epoch_seed(seed: u64, epoch: usize) -> u64 {
    (seed ^ 0x5348_4152_4453_0000)
        .wrapping_add((epoch as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

impl ShardPlan {
    /// The shard of rank `rank` of `size` in epoch `epoch` (0-based) of a set of `len` items.
    pub fn new(len: usize, seed: u64, size: usize, epoch: usize) -> Self {
        Self::of_rank(len, seed, size, 0, epoch)
    }

    /// As [`ShardPlan::new`], for rank `rank`.
    pub fn of_rank(len: usize, seed: u64, size: usize, rank: usize, epoch: usize) -> Self {
        let size = size.max(1);
        let mut order = permutation(len, epoch_seed(seed, epoch));
        let total = len.div_ceil(size) * size;
        let pad: Vec<usize> = order.iter().copied().cycle().take(total - len).collect();
        order.extend(pad);
        let indices = order.into_iter().skip(rank).step_by(size).collect();
        Self { indices }
    }

    /// The dataset indices, in reading order.
    pub fn indices(&self) -> &[usize] {
        &self.indices
    }

    /// How many items the shard holds (the same on every rank).
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    /// Whether the shard is empty.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }
}

/// The training loader of one rank: each `iter()` is the next epoch's shard, in batches.
pub struct ShardLoader<I, O> {
    dataset: Arc<dyn Dataset<I>>,
    batcher: Arc<dyn Batcher<I, O>>,
    batch_size: usize,
    seed: u64,
    rank: usize,
    size: usize,
    epoch: AtomicUsize,
    device: Device,
}

impl<I, O> ShardLoader<I, O> {
    /// The loader of rank `rank` of `size` over `dataset`, whose first epoch is `start_epoch`
    /// (0-based; a resumed run's count of complete epochs).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        dataset: Arc<dyn Dataset<I>>,
        batcher: Arc<dyn Batcher<I, O>>,
        batch_size: usize,
        seed: u64,
        (rank, size): (usize, usize),
        start_epoch: usize,
        device: Device,
    ) -> Self {
        Self {
            dataset,
            batcher,
            batch_size: batch_size.max(1),
            seed,
            rank,
            size,
            epoch: AtomicUsize::new(start_epoch),
            device,
        }
    }

    fn with(&self, dataset: Arc<dyn Dataset<I>>, device: Device) -> Self {
        Self {
            dataset,
            batcher: self.batcher.clone(),
            batch_size: self.batch_size,
            seed: self.seed,
            rank: self.rank,
            size: self.size,
            epoch: AtomicUsize::new(self.epoch.load(Ordering::SeqCst)),
            device,
        }
    }
}

impl<I: Send + Sync + Clone + 'static, O: 'static> DataLoader<O> for ShardLoader<I, O> {
    fn iter<'a>(&'a self) -> Box<dyn DataLoaderIterator<O> + 'a> {
        let epoch = self.epoch.fetch_add(1, Ordering::SeqCst);
        let plan = ShardPlan::of_rank(self.dataset.len(), self.seed, self.size, self.rank, epoch);
        Box::new(ShardIter {
            loader: self,
            indices: plan.indices,
            next: 0,
        })
    }

    fn num_items(&self) -> usize {
        self.dataset.len().div_ceil(self.size.max(1))
    }

    fn to_device(&self, device: &Device) -> Arc<dyn DataLoader<O>> {
        Arc::new(self.with(self.dataset.clone(), device.clone()))
    }

    fn slice(&self, start: usize, end: usize) -> Arc<dyn DataLoader<O>> {
        let part: Arc<dyn Dataset<I>> =
            Arc::new(PartialDataset::new(self.dataset.clone(), start, end));
        Arc::new(self.with(part, self.device.clone()))
    }
}

struct ShardIter<'a, I, O> {
    loader: &'a ShardLoader<I, O>,
    indices: Vec<usize>,
    next: usize,
}

impl<I, O> Iterator for ShardIter<'_, I, O> {
    type Item = Result<O, DatasetError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.indices.len() {
            return None;
        }
        let end = (self.next + self.loader.batch_size).min(self.indices.len());
        let items: Result<Vec<I>, DatasetError> = self.indices[self.next..end]
            .iter()
            .map(|&i| self.loader.dataset.get(i))
            .collect();
        self.next = end;
        Some(items.map(|items| self.loader.batcher.batch(items, &self.loader.device)))
    }
}

impl<I, O> DataLoaderIterator<O> for ShardIter<'_, I, O> {
    fn progress(&self) -> Progress {
        Progress::new(self.next, self.indices.len(), Some("items".into()))
    }
}

/// The training loader of an MPI rank: its shard of each epoch of `train`, in batches of the
/// global batch divided by the rank count (read in the main thread), from epoch `start_epoch`.
pub(crate) fn rank_loader<I: Send + Sync + Clone + 'static, O: 'static>(
    batcher: impl Batcher<I, O> + 'static,
    config: &ExperimentConfig,
    train: impl Dataset<I> + 'static,
    start_epoch: usize,
) -> Arc<dyn DataLoader<O>> {
    let world = super::collective::world();
    Arc::new(ShardLoader::new(
        Arc::new(train),
        Arc::new(batcher),
        super::loader_batch(config),
        config.seed,
        (world.rank(), world.size()),
        start_epoch,
        Device::flex(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_disjoint_equal_and_cover_the_epoch() {
        let (len, size) = (10, 3);
        let shards: Vec<ShardPlan> = (0..size)
            .map(|r| ShardPlan::of_rank(len, 7, size, r, 2))
            .collect();
        assert!(shards.iter().all(|s| s.len() == 4));
        let mut all: Vec<usize> = shards.iter().flat_map(|s| s.indices().to_vec()).collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all, (0..len).collect::<Vec<_>>());
    }

    #[test]
    fn batches_of_the_ranks_together_are_the_one_rank_batches() {
        let (len, batch) = (16, 4);
        let one = ShardPlan::of_rank(len, 3, 1, 0, 1);
        let two: Vec<ShardPlan> = (0..2)
            .map(|r| ShardPlan::of_rank(len, 3, 2, r, 1))
            .collect();
        for s in 0..len / batch {
            let mut joined: Vec<usize> = two
                .iter()
                .flat_map(|p| p.indices()[s * batch / 2..(s + 1) * batch / 2].to_vec())
                .collect();
            let mut single = one.indices()[s * batch..(s + 1) * batch].to_vec();
            joined.sort_unstable();
            single.sort_unstable();
            assert_eq!(joined, single, "step {s}");
        }
    }

    #[test]
    fn every_epoch_is_reshuffled() {
        let a = ShardPlan::of_rank(50, 1, 2, 0, 0);
        let b = ShardPlan::of_rank(50, 1, 2, 0, 1);
        assert_ne!(a, b);
        assert_eq!(a, ShardPlan::of_rank(50, 1, 2, 0, 0));
    }
}
