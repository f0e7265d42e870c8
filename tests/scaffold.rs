//! `pex new demo` writes a crate that builds and passes its own tests, offline, against this
//! checkout; its CLI's `check` finds the gap's violation. Slow-ish: one `cargo test` of the new
//! crate, in `target/scaffold-test` (kept between runs, so only the first compiles everything).

use std::path::{Path, PathBuf};
use std::process::Command;

fn pex() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pex"))
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pex-scaffold-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn pex_new_refuses_bad_names_and_existing_directories() {
    let dir = temp_dir("refuse");
    for bad in ["Demo", "my lock", "pex", "fn", "9lives"] {
        let out = pex().args(["new", bad]).current_dir(&dir).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(bad), "{bad}: {}", String::from_utf8_lossy(&out.stderr));
    }
    std::fs::create_dir(dir.join("taken")).unwrap();
    let out = pex().args(["new", "taken"]).current_dir(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    assert_eq!(std::fs::read_dir(dir.join("taken")).unwrap().count(), 0, "nothing written into it");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pex_new_writes_a_crate_whose_tests_pass_and_whose_check_finds_the_gap() {
    let dir = temp_dir("demo");
    let out = pex().args(["new", "demo"]).current_dir(&dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let demo = dir.join("demo");
    for f in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "Trunk.toml",
        "index.html",
        "src/lib.rs",
        "src/bin/pex.rs",
        "src/bin/app.rs",
        "src/bin/worker.rs",
        "tests/demo.rs",
        "tla/demo/Demo.tla",
        "tla/demo/MC.cfg",
        "tla/demo/MC_test-then-set.cfg",
    ] {
        assert!(demo.join(f).is_file(), "{f} missing");
    }
    let manifest = std::fs::read_to_string(demo.join("Cargo.toml")).unwrap();
    assert!(manifest.contains(&format!("path = '{}'", Path::new(env!("CARGO_MANIFEST_DIR")).canonicalize().unwrap().display())), "{manifest}");

    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/scaffold-test");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let test = Command::new(cargo).args(["test", "--offline"]).current_dir(&demo).env("CARGO_TARGET_DIR", &target).output().unwrap();
    let log = format!("{}\n{}", String::from_utf8_lossy(&test.stdout), String::from_utf8_lossy(&test.stderr));
    assert!(test.status.success(), "cargo test in the new crate failed:\n{log}");
    assert!(log.contains("3 passed"), "{log}");

    let check = Command::new(target.join("debug/pex")).args(["check", "demo", "--config", "test-then-set"]).current_dir(&demo).output().unwrap();
    let text = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{text}");
    assert!(text.contains("Invariant MutualExclusion is violated"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}
