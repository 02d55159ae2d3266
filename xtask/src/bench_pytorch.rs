//! The PyTorch side of `cargo xtask bench --compare pytorch`: one long-lived
//! `python xtask/scripts/pytorch_twins.py --serve` process, asked for one workload at a time over
//! its standard input (one JSON line per request and per answer), so that its rounds interleave
//! with ours in the same run.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::bench::{Target, Workload};

/// How to get PyTorch, printed when it is missing.
const INSTALL: &str = "PyTorch is not importable by that Python. Install it with \
`pip install torch` (on Linux the PyPI wheel also pulls the nvidia-* wheels it imports, even for \
CPU use; about 4.5 GB), or name another interpreter with --python PATH.";

/// The twins script, beside this crate.
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pytorch_twins.py");

/// A running twins server.
pub struct PyTorch {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

#[derive(Deserialize)]
struct Answer {
    images_per_s: Option<f64>,
    error: Option<String>,
}

impl PyTorch {
    /// Start the server with `python`; fails with the install hint when torch is missing.
    pub fn start(python: &str) -> anyhow::Result<Self> {
        let probe = Command::new(python)
            .args(["-c", "import torch"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .with_context(|| format!("cannot run `{python}`; {INSTALL}"))?;
        if !probe.success() {
            bail!("`{python} -c \"import torch\"` failed. {INSTALL}");
        }
        let mut child = Command::new(python)
            .args([SCRIPT, "--serve", "--threads", "2"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {SCRIPT}"))?;
        let stdin = child
            .stdin
            .take()
            .context("no stdin for the PyTorch server")?;
        let stdout = child
            .stdout
            .take()
            .context("no stdout from the PyTorch server")?;
        Ok(Self {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    /// PyTorch's images/s for `w`; `params` is our model's trainable parameter count, which the
    /// twin must equal.
    pub fn rate(&mut self, w: &Workload, params: usize, steps: usize) -> anyhow::Result<f64> {
        let request = serde_json::json!({
            "model": w.model,
            "target": if w.target == Target::Train { "train" } else { "infer" },
            "batch": w.batch,
            "channels": w.channels,
            "size": w.size,
            "classes": w.classes,
            "steps": steps,
            "params": params,
        });
        writeln!(self.stdin, "{request}").context("writing to the PyTorch server")?;
        self.stdin
            .flush()
            .context("writing to the PyTorch server")?;
        let mut line = String::new();
        if self
            .stdout
            .read_line(&mut line)
            .context("reading from the PyTorch server")?
            == 0
        {
            bail!("the PyTorch server stopped (run `{SCRIPT} --serve` by hand to see why)");
        }
        let answer: Answer = serde_json::from_str(&line)
            .with_context(|| format!("the PyTorch server answered {line:?}"))?;
        match (answer.images_per_s, answer.error) {
            (_, Some(e)) => bail!("PyTorch, {}: {e}", w.model),
            (Some(rate), None) => Ok(rate),
            (None, None) => bail!("the PyTorch server answered {line:?}"),
        }
    }
}

impl Drop for PyTorch {
    fn drop(&mut self) {
        // Closing stdin ends its loop; the kill is for a server stuck mid-request.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
