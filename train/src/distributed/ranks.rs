//! One rank's part of an MPI run: rank 0 plans the run exactly as a one-process run (a new
//! numbered folder, or `--resume`) and sends the other ranks what they need to start from the
//! same point ([`super::payload`]): the resolved `config.json`, and when resuming the saved
//! `preprocessing.json`, `metrics.csv` and the three checkpoint files of the last complete epoch.
//! Rank 0 alone writes the run folder; every other rank runs the same pipeline in a private
//! temporary folder (its own checkpoints, plots and summary, never read) that it deletes at the
//! end, with its standard output silenced. Any error on any rank is printed with the rank and
//! ends the whole job (`MPI_Abort`), so no rank waits forever in a collective.

use std::path::{Path, PathBuf};

use super::Parallel;
use super::collective::Collective;
use super::payload::{decode, encode};
use crate::error::TrainError;
use crate::run_dir::{RunDir, RunOptions, RunPlan, plan_run};
use crate::summary::RunSummary;
use crate::{ExperimentConfig, pipeline::run_plan};

/// Train `config` (with the run options `opts`) laid out as `parallel`: the entry point of
/// `cargo xtask train`. Returns the summary of the run (an MPI rank other than 0 returns its
/// private copy's).
pub fn train_distributed(
    config: ExperimentConfig,
    opts: &RunOptions,
    parallel: Parallel,
) -> Result<RunSummary, TrainError> {
    if parallel != Parallel::Mpi {
        return run_planned(plan_run(config, opts)?, parallel);
    }
    mpi_rank(config, opts)
}

/// Train a planned one-process run laid out as `parallel` (one device, or several of this host).
pub fn run_planned(mut plan: RunPlan, parallel: Parallel) -> Result<RunSummary, TrainError> {
    plan.config.parallel = parallel;
    super::replica_batch(&plan.config)?;
    run_plan(plan)
}

#[cfg(not(feature = "mpi"))]
fn mpi_rank(_config: ExperimentConfig, _opts: &RunOptions) -> Result<RunSummary, TrainError> {
    Err(TrainError::Config(
        "--distributed mpi needs a build with the `mpi` cargo feature (OpenMPI or MPICH with its \
         headers and libclang installed): `cargo xtask train` rebuilds itself with it"
            .into(),
    ))
}

#[cfg(feature = "mpi")]
fn mpi_rank(config: ExperimentConfig, opts: &RunOptions) -> Result<RunSummary, TrainError> {
    let guard = super::mpi::init()?;
    let world = super::collective::world();
    match rank_run(config, opts, &*world) {
        Ok(summary) => {
            drop(guard);
            Ok(summary)
        }
        Err(e) => {
            eprintln!(
                "error on MPI rank {} of {}: {e}\nending the job; the run folder keeps its last \
                 complete epoch (continue with --resume)",
                world.rank(),
                world.size()
            );
            world.abort(1)
        }
    }
}

/// Plan (rank 0) or receive (the others) the run, then train it.
pub fn rank_run(
    config: ExperimentConfig,
    opts: &RunOptions,
    world: &dyn Collective,
) -> Result<RunSummary, TrainError> {
    let (rank, size) = (world.rank(), world.size());
    if rank == 0 {
        let mut plan = plan_run(config, opts)?;
        plan.config.parallel = Parallel::Mpi;
        super::replica_batch(&plan.config)?;
        let mut payload = encode(&start_files(&plan)?);
        world.broadcast_bytes(&mut payload);
        println!(
            "MPI: {size} rank(s), global batch {} = {size} × {}; rank 0 writes the run folder",
            plan.config.batch_size,
            plan.config.batch_size / size
        );
        return run_plan(plan);
    }
    let mut payload = Vec::new();
    world.broadcast_bytes(&mut payload);
    let tmp = std::env::temp_dir();
    remove_dead_ranks_folders(&tmp);
    let scratch = tmp.join(format!("{SCRATCH}{rank}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let result = receive_plan(&scratch, &payload).and_then(|plan| {
        silence_stdout();
        run_plan(plan)
    });
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// The temporary folder of a rank other than 0: `<tmp>/classic-cnn-rank<R>-<pid>`.
const SCRATCH: &str = "classic-cnn-rank";

/// Remove the temporary folders that killed ranks left in `tmp` (their process is gone).
fn remove_dead_ranks_folders(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    let proc = Path::new("/proc");
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix(SCRATCH)
            .and_then(|rest| rest.rsplit('-').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid
            && proc.is_dir()
            && !proc.join(pid.to_string()).exists()
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The files rank 0 sends: `config.json` and, when resuming, what the resume reads.
fn start_files(plan: &RunPlan) -> Result<Vec<(String, Vec<u8>)>, TrainError> {
    let mut files = vec![(
        "config.json".to_string(),
        plan.config.to_json()?.into_bytes(),
    )];
    files.push((
        "start_epoch".into(),
        plan.start_epoch.to_string().into_bytes(),
    ));
    if plan.start_epoch > 0 {
        let dir = &plan.dir;
        let mut paths = vec![dir.preprocessing_file(), dir.metrics_file()];
        paths.extend(
            crate::checkpoint::KINDS
                .iter()
                .map(|k| dir.checkpoint_file(k, plan.start_epoch)),
        );
        for path in paths.into_iter().filter(|p| p.is_file()) {
            let bytes = std::fs::read(&path).map_err(|e| TrainError::io(&path, e))?;
            let name = path
                .strip_prefix(dir.path())
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            files.push((name, bytes));
        }
    }
    Ok(files)
}

/// Write rank 0's files into `scratch` and plan the same run there.
fn receive_plan(scratch: &Path, payload: &[u8]) -> Result<RunPlan, TrainError> {
    let mut start_epoch = 0;
    for (name, bytes) in decode(payload)? {
        if name == "start_epoch" {
            start_epoch = String::from_utf8_lossy(&bytes).parse().unwrap_or(0);
            continue;
        }
        let path: PathBuf = scratch.join(&name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| TrainError::io(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| TrainError::io(&path, e))?;
    }
    let dir = RunDir::new(scratch);
    let mut config = dir.config()?;
    config.parallel = Parallel::Mpi;
    Ok(RunPlan {
        dir,
        config,
        start_epoch,
    })
}

/// Ranks other than 0 print nothing on standard output (their errors still reach stderr).
fn silence_stdout() {
    #[cfg(all(feature = "mpi", unix))]
    if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
        use std::os::fd::AsRawFd;
        // SAFETY: dup2 on two valid descriptors; `null` stays open until after the call and
        // descriptor 1 then refers to its own duplicate.
        unsafe {
            libc::dup2(null.as_raw_fd(), 1);
        }
    }
}
