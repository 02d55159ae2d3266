//! Ctrl-C (SIGINT) during training: the first one asks Burn's learner, through its
//! [`Interrupter`], to stop after the batch under way. An epoch cut short is not checkpointed, so
//! the run folder keeps the checkpoint of the last complete epoch (consistent: model, optimiser and
//! scheduler of one epoch), the run ends with an error that says how to continue (`--resume`,
//! which then ends with the metrics of an uninterrupted run) and the process exits non-zero: the
//! run is not finished. A second Ctrl-C quits at once (exit 130), as a shell user expects.
//!
//! The handler is a thread reading SIGINT through `signal-hook` (no work in the signal handler
//! itself); it is installed once per process, and each training run registers its interrupter.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use burn::train::Interrupter;
use signal_hook::consts::SIGINT;
use signal_hook::iterator::Signals;

/// The training run that Ctrl-C stops now: its interrupter and run folder.
static CURRENT: Mutex<Option<(Interrupter, PathBuf)>> = Mutex::new(None);
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// The reason an interruption by Ctrl-C carries.
pub const CTRL_C: &str = "Ctrl-C";

/// Let Ctrl-C stop the training run in `dir` through `interrupter` (installs the handler the first
/// time; when it cannot be installed, Ctrl-C keeps its default effect, a SIGKILL-like end that
/// `--resume` also recovers from).
pub fn stop_on_ctrl_c(interrupter: Interrupter, dir: &Path) {
    if let Ok(mut current) = CURRENT.lock() {
        *current = Some((interrupter, dir.to_path_buf()));
    }
    INSTALLED.get_or_init(install);
}

fn install() -> bool {
    let Ok(mut signals) = Signals::new([SIGINT]) else {
        return false;
    };
    std::thread::Builder::new()
        .name("ctrl-c".into())
        .spawn(move || {
            let mut pressed = 0;
            for _ in signals.forever() {
                pressed += 1;
                if pressed > 1 {
                    eprintln!("\nCtrl-C again: quitting now");
                    std::process::exit(130);
                }
                on_first_ctrl_c();
            }
        })
        .is_ok()
}

fn on_first_ctrl_c() {
    let current = CURRENT.lock().ok().and_then(|c| c.clone());
    match current {
        Some((interrupter, dir)) if !interrupter.should_stop() => {
            interrupter.stop(Some(CTRL_C));
            eprintln!(
                "\nCtrl-C: stopping after this batch; {} keeps the checkpoint of the last complete \
                 epoch. Continue with: cargo xtask train --resume --out {} (Ctrl-C again quits now)",
                dir.display(),
                dir.display()
            );
        }
        _ => eprintln!("\nCtrl-C: finishing the run's last step (Ctrl-C again quits now)"),
    }
}
