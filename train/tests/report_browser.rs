//! The reports open in a real browser: Debian's headless `chromium` loads an experiment's
//! `report.html` (`--quick`) and a training run's `report.html` from disk, and every picture has
//! decoded (non-zero natural width) with no error in the console.
//!
//! The page itself has no script; the test loads a copy beside it (same folder, same bytes) with
//! one inline script at the top of `<head>` that records errors and, on `load`, writes the
//! images' state into the DOM, which `--dump-dom` prints. Console messages reach stderr through
//! `--enable-logging=stderr`; any is a failure (the page logs nothing). Without `chromium` the
//! test fails and says how to install it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "common/tiny_run.rs"]
mod tiny;

use train::lab::ExperimentName;

const CHECK: &str = r#"<script>(function(){var errs=[];
window.addEventListener('error',function(e){var t=e.target;errs.push(t&&t.tagName?'failed '+t.tagName:String(e.message));},true);
var ce=console.error;console.error=function(){errs.push(Array.prototype.join.call(arguments,' '));ce.apply(console,arguments);};
window.addEventListener('load',function(){var im=document.images,bad=0;
for(var i=0;i<im.length;i++){if(!(im[i].complete&&im[i].naturalWidth>0&&im[i].naturalHeight>0))bad++;}
var p=document.createElement('pre');p.id='cnn-check';
p.textContent='CNN-CHECK images='+im.length+' broken='+bad+' errors='+errs.length+' '+errs.join(' | ');
document.body.appendChild(p);});})();</script>"#;

fn chromium() -> PathBuf {
    let found = ["chromium", "chromium-browser"].iter().find_map(|name| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        })
    });
    found.unwrap_or_else(|| {
        panic!(
            "headless Chromium is needed to check the HTML reports: install it with \
             `apt-get install -y chromium` (Debian), as .ci/run does"
        )
    })
}

/// Loads `page` in headless Chromium; returns the check line and the console lines.
fn open_in_chromium(page: &Path) -> (String, Vec<String>) {
    let html = std::fs::read_to_string(page).unwrap();
    assert_eq!(html.matches("<head>").count(), 1, "{}", page.display());
    let copy = page.with_file_name("report.browser-check.html");
    std::fs::write(&copy, html.replacen("<head>", &format!("<head>{CHECK}"), 1)).unwrap();
    let profile = page.with_file_name("chromium-profile");
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", copy.display()))
        .output()
        .expect("chromium runs");
    let _ = std::fs::remove_file(&copy);
    let _ = std::fs::remove_dir_all(&profile);
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let console: Vec<String> = stderr
        .lines()
        .filter(|l| l.contains("CONSOLE"))
        .map(String::from)
        .collect();
    let marker = "<pre id=\"cnn-check\">";
    let check = dom
        .split_once(marker)
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(line, _)| line.to_string())
        .unwrap_or_else(|| {
            panic!(
                "{}: no check result in the DOM (exit {:?}); stderr:\n{stderr}",
                page.display(),
                out.status.code()
            )
        });
    (check, console)
}

fn assert_opens(page: &Path) {
    let images = std::fs::read_to_string(page)
        .unwrap()
        .matches("<img ")
        .count();
    assert!(images > 0, "{}", page.display());
    let (check, console) = open_in_chromium(page);
    let want = format!("CNN-CHECK images={images} broken=0 errors=0");
    assert!(check.contains(&want), "{}: {check}", page.display());
    assert!(
        console.is_empty(),
        "{}: console: {console:?}",
        page.display()
    );
}

#[test]
fn experiment_and_run_reports_open_in_headless_chromium() {
    let started = Instant::now();
    chromium();
    let root = std::env::temp_dir().join(format!("cnn-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let opts = tiny::lab_options(&root.join("experiments"), None);
    train::lab::run(ExperimentName::Pooling, &opts).unwrap();
    let run = root.join("run");
    tiny::tiny_run(&run);
    assert_opens(&opts.out.join("pooling").join("report.html"));
    assert_opens(&run.join("report.html"));
    let _ = std::fs::remove_dir_all(&root);
    let took = started.elapsed();
    println!("browser check took {:.1} s", took.as_secs_f64());
    assert!(took < Duration::from_secs(120), "took {took:?}");
}
