//! The collective operations data-parallel training needs, behind one trait: the MPI world when
//! this process is an MPI rank (cargo feature `mpi`), otherwise a world of one process.

/// Collective operations over the processes of a job. Every process must make the same calls in
/// the same order (they block until all have made them).
pub trait Collective {
    /// This process's rank, 0 ..= size − 1.
    fn rank(&self) -> usize;
    /// The number of processes.
    fn size(&self) -> usize;
    /// Replace `values` on every process by their element-wise sum over all processes.
    fn all_reduce_sum(&self, values: &mut [f32]);
    /// Replace `bytes` on every process by rank 0's.
    fn broadcast_bytes(&self, bytes: &mut Vec<u8>);
    /// End the whole job (every process) with `code`.
    fn abort(&self, code: i32) -> !;
}

/// A job of one process: the sum is the value itself, the broadcast keeps it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Alone;

impl Collective for Alone {
    fn rank(&self) -> usize {
        0
    }
    fn size(&self) -> usize {
        1
    }
    fn all_reduce_sum(&self, _values: &mut [f32]) {}
    fn broadcast_bytes(&self, _bytes: &mut Vec<u8>) {}
    fn abort(&self, code: i32) -> ! {
        std::process::exit(code)
    }
}

/// Whether this process is a rank of a running MPI job.
pub fn in_mpi_job() -> bool {
    #[cfg(feature = "mpi")]
    if ::mpi::environment::is_initialized() && !::mpi::environment::is_finalized() {
        return true;
    }
    false
}

/// The world this process belongs to: the MPI world once MPI is initialised, else [`Alone`].
pub fn world() -> Box<dyn Collective> {
    #[cfg(feature = "mpi")]
    if in_mpi_job() {
        return Box::new(super::mpi::MpiWorld);
    }
    Box::new(Alone)
}
