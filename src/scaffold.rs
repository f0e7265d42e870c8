//! `pex new <name>`: a new crate with a protocol model of its own, laid out like the Peterson
//! example (`examples/peterson`): the model (constants, variables, `TypeOK`, `Init`, one function
//! per action, `Next`, the invariants), its TLA+ twin with `MC.cfg` and a gap's cfg, the three
//! binaries (`pex`, `app`, `worker`), `Trunk.toml` and `index.html`, a test and a README. The
//! skeleton is a lock for two processes whose gap, `test-then-set`, breaks `MutualExclusion`.
//!
//! The templates are `templates/new/` in this repository; `{{crate}}`, `{{lib}}`, `{{Type}}`,
//! `{{gap}}`, `{{pex_path}}` and `{{wasm_bindgen}}` are substituted.

use std::path::{Path, PathBuf};

/// The gap config of the skeleton.
pub const GAP: &str = "test-then-set";

/// (path in the new crate, template text). `{{crate}}` etc. in paths are substituted too.
const FILES: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("../templates/new/Cargo.toml")),
    (".gitignore", include_str!("../templates/new/gitignore")),
    ("README.md", include_str!("../templates/new/README.md")),
    ("rustfmt.toml", include_str!("../templates/new/rustfmt.toml")),
    ("Trunk.toml", include_str!("../templates/new/Trunk.toml")),
    ("index.html", include_str!("../templates/new/index.html")),
    ("src/lib.rs", include_str!("../templates/new/src/lib.rs")),
    ("src/bin/pex.rs", include_str!("../templates/new/src/bin/pex.rs")),
    ("src/bin/app.rs", include_str!("../templates/new/src/bin/app.rs")),
    ("src/bin/worker.rs", include_str!("../templates/new/src/bin/worker.rs")),
    ("tests/{{lib}}.rs", include_str!("../templates/new/tests/model.rs")),
    ("tla/{{crate}}/{{Type}}.tla", include_str!("../templates/new/tla/Twin.tla")),
    ("tla/{{crate}}/MC.cfg", include_str!("../templates/new/tla/MC.cfg")),
    ("tla/{{crate}}/MC_{{gap}}.cfg", include_str!("../templates/new/tla/MC_gap.cfg")),
];

/// This checkout's Cargo.lock, for a `pex_path` that has none.
const LOCK: &str = include_str!("../Cargo.lock");

/// The wasm-bindgen version trunk must find (the root's Trunk.toml pins it to Cargo.lock's).
fn wasm_bindgen_version() -> &'static str {
    include_str!("../Trunk.toml").lines().find_map(|l| l.trim().strip_prefix("wasm_bindgen = \"")?.strip_suffix('"')).unwrap_or("0.2.130")
}

/// The checkout `pex` was built from: `pex new`'s default `--pex-path`.
pub fn default_pex_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const RESERVED: &[&str] = &[
    "pex",
    "protocol-explorer",
    "protocol_explorer",
    "test",
    "core",
    "std",
    "alloc",
    "proc_macro",
    "self",
    "super",
    "crate",
    "Self",
    "as",
    "break",
    "const",
    "continue",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "static",
    "struct",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "async",
    "await",
    "dyn",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "macro",
    "override",
    "priv",
    "typeof",
    "unsized",
    "virtual",
    "yield",
    "try",
    "gen",
];

/// Checks `name` as a crate, model and module name: lower-case ASCII letters, digits, `-` and
/// `_`, starting with a letter, not a keyword or a name the crate itself uses.
pub fn check_name(name: &str) -> Result<(), String> {
    let valid = name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !name.ends_with(['-', '_'])
        && !name.contains("--")
        && !name.contains("__");
    if !valid {
        return Err(format!(
            "'{name}' is not a valid name: use lower-case letters, digits and single '-' or '_' between them, starting with a letter (e.g. my-lock)"
        ));
    }
    if RESERVED.contains(&name) || RESERVED.contains(&name.replace('-', "_").as_str()) {
        return Err(format!("'{name}' is reserved (a Rust keyword, a standard crate or Protocol Explorer's own name): choose another"));
    }
    Ok(())
}

/// `my-lock` → `MyLock`.
fn type_name(name: &str) -> String {
    name.split(['-', '_'])
        .map(|part| {
            let mut c = part.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

/// The path from directory `from` to `to` (both absolute): `..` up to their common ancestor, then down.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let (a, b): (Vec<_>, Vec<_>) = (from.components().collect(), to.components().collect());
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..a.len() {
        out.push("..");
    }
    for c in &b[common..] {
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// Writes the crate `<into>/<name>/` and returns the files written, in order. Refuses a bad name,
/// an existing directory, and a `pex_path` that is not a Protocol Explorer checkout.
pub fn scaffold(name: &str, into: &Path, pex_path: &Path) -> Result<Vec<PathBuf>, String> {
    check_name(name)?;
    let pex_path = pex_path.canonicalize().map_err(|e| format!("--pex-path {}: {e}", pex_path.display()))?;
    let manifest = std::fs::read_to_string(pex_path.join("Cargo.toml")).map_err(|e| format!("{}: {e}", pex_path.join("Cargo.toml").display()))?;
    if !manifest.contains("name = \"protocol-explorer\"") {
        return Err(format!("{} is not a Protocol Explorer checkout (its Cargo.toml is not the protocol-explorer package)", pex_path.display()));
    }
    let pex_text = pex_path
        .to_str()
        .filter(|p| !p.contains(['\'', '"', '\n']))
        .ok_or_else(|| format!("--pex-path {}: the path must be UTF-8 without quotes, to be written into Cargo.toml and index.html", pex_path.display()))?;
    let dir = into.join(name);
    if dir.exists() {
        return Err(format!("{} already exists: choose another name or remove it", dir.display()));
    }
    std::fs::create_dir_all(into).map_err(|e| format!("cannot create {}: {e}", into.display()))?;
    let into_abs = into.canonicalize().map_err(|e| format!("{}: {e}", into.display()))?;
    // trunk reads hrefs relative to the crate's directory, even absolute-looking ones.
    let pex_rel = relative(&into_abs.join(name), &pex_path);
    let pex_rel = pex_rel.to_str().ok_or_else(|| format!("{}: not UTF-8", pex_rel.display()))?.replace('\\', "/");
    let lib = name.replace('-', "_");
    let ty = type_name(name);
    // Cargo.toml takes the path as a TOML literal string: backslashes (Windows) stay as they are.
    let subst = |text: &str| {
        text.replace("{{crate}}", name)
            .replace("{{lib}}", &lib)
            .replace("{{Type}}", &ty)
            .replace("{{gap}}", GAP)
            .replace("\"{{pex_path}}\"", &format!("'{pex_text}'"))
            .replace("{{pex_path}}", pex_text)
            .replace("{{pex_rel}}", &pex_rel)
            .replace("{{wasm_bindgen}}", wasm_bindgen_version())
    };
    let lock = std::fs::read_to_string(pex_path.join("Cargo.lock")).unwrap_or_else(|_| LOCK.to_string());
    let mut written = Vec::new();
    let files = FILES.iter().map(|(path, text)| (subst(path), subst(text))).chain([("Cargo.lock".to_string(), lock)]);
    for (path, text) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(check_name("demo").is_ok());
        assert!(check_name("my-lock2").is_ok());
        for bad in ["", "Demo", "1lock", "my lock", "a--b", "lock-", "pex", "fn", "protocol_explorer", "../x", "é"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert_eq!(type_name("my-lock_two"), "MyLockTwo");
        assert_eq!(relative(Path::new("/tmp/x/demo"), Path::new("/work/pex")), PathBuf::from("../../../work/pex"));
        assert_eq!(relative(Path::new("/work/pex/examples/demo"), Path::new("/work/pex")), PathBuf::from("../.."));
    }

    #[test]
    fn no_placeholder_is_left() {
        let dir = std::env::temp_dir().join(format!("pex-scaffold-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files = scaffold("my-lock", &dir, &default_pex_path()).unwrap();
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap();
            assert!(!text.contains("{{"), "{} keeps a placeholder", f.display());
        }
        assert!(dir.join("my-lock/tla/my-lock/MyLock.tla").is_file());
        assert!(dir.join("my-lock/tests/my_lock.rs").is_file());
        assert!(scaffold("my-lock", &dir, &default_pex_path()).unwrap_err().contains("already exists"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
