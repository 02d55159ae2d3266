//! The MPI world (cargo feature `mpi`, the `mpi` crate over the system's OpenMPI or MPICH):
//! initialised once per process by [`init`], whose guard finalises it when dropped.

use ::mpi::Threading;
use ::mpi::collective::SystemOperation;
use ::mpi::environment::Universe;
use ::mpi::topology::SimpleCommunicator;
use ::mpi::traits::{Communicator, CommunicatorCollectives, Root};

use super::collective::Collective;
use crate::error::TrainError;

/// MPI, initialised; dropping it finalises MPI (after which no collective may be called).
pub struct MpiGuard {
    _universe: Universe,
}

/// Initialise MPI for this process (only the main thread calls MPI: `MPI_THREAD_FUNNELED`).
pub fn init() -> Result<MpiGuard, TrainError> {
    let (universe, _threading) = ::mpi::initialize_with_threading(Threading::Funneled)
        .ok_or_else(|| TrainError::Config("MPI was already initialised in this process".into()))?;
    Ok(MpiGuard {
        _universe: universe,
    })
}

/// `MPI_COMM_WORLD`.
#[derive(Debug, Clone, Copy)]
pub struct MpiWorld;

fn comm() -> SimpleCommunicator {
    SimpleCommunicator::world()
}

impl Collective for MpiWorld {
    fn rank(&self) -> usize {
        usize::try_from(comm().rank()).unwrap_or(0)
    }

    fn size(&self) -> usize {
        usize::try_from(comm().size()).unwrap_or(1)
    }

    fn all_reduce_sum(&self, values: &mut [f32]) {
        let send = values.to_vec();
        comm().all_reduce_into(&send[..], values, SystemOperation::sum());
    }

    fn broadcast_bytes(&self, bytes: &mut Vec<u8>) {
        let world = comm();
        let root = world.process_at_rank(0);
        let mut len = bytes.len() as u64;
        root.broadcast_into(&mut len);
        bytes.resize(usize::try_from(len).unwrap_or(0), 0);
        root.broadcast_into(&mut bytes[..]);
    }

    fn abort(&self, code: i32) -> ! {
        comm().abort(code)
    }
}
