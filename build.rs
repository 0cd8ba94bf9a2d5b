//! Compiles the built-in theme (`templates/`) into the binary: writes a list
//! of `(name, contents)` pairs that `src/render/theme.rs` includes.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let dir = Path::new("templates");
    println!("cargo:rerun-if-changed=templates");
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    files.sort();
    let mut out = String::from(
        "/// The built-in theme: each file's name under `templates/` and its text.\npub static BUILT_IN: &[(&str, &str)] = &[\n",
    );
    for (name, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let absolute = fs::canonicalize(path).expect("a theme file that was just listed exists");
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            absolute.display().to_string()
        ));
    }
    out.push_str("];\n");
    let target =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("theme.rs");
    fs::write(target, out).expect("OUT_DIR is writable");
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if let Ok(relative) = path.strip_prefix(root) {
            let name = relative.to_string_lossy().replace('\\', "/");
            files.push((name, path));
        }
    }
}
