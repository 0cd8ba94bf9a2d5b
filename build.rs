//! Compiles the built-in theme (`templates/`) into the binary: writes the
//! list of `(name, contents)` pairs that `src/render/theme.rs` includes,
//! and beside it each `.html` template minified (`src/render/minify.rs`),
//! so that the program does the minifying once here and never at run time.

use std::fs;
use std::path::{Path, PathBuf};

#[path = "src/render/minify.rs"]
mod minify;

fn main() {
    let dir = Path::new("templates");
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=src/render/minify.rs");
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    files.sort();
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut written = String::from(
        "/// The built-in theme: each file's name under `templates/` and its text.\npub static BUILT_IN: &[(&str, &str)] = &[\n",
    );
    let mut minified = String::from(
        "/// Each built-in `.html` template's name and its text minified, made when the program was compiled.\npub static MINIFIED: &[(&str, &str)] = &[\n",
    );
    for (name, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let absolute = fs::canonicalize(path).expect("a theme file that was just listed exists");
        written.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            absolute.display().to_string()
        ));
        if name.ends_with(".html") {
            let text = fs::read_to_string(path).expect("a theme file is UTF-8");
            let file = out_dir.join(format!("minified-{}", name.replace('/', "-")));
            fs::write(&file, minify::template(&text)).expect("OUT_DIR is writable");
            minified.push_str(&format!(
                "    ({name:?}, include_str!({:?})),\n",
                file.display().to_string()
            ));
        }
    }
    written.push_str("];\n");
    minified.push_str("];\n");
    fs::write(out_dir.join("theme.rs"), written + &minified).expect("OUT_DIR is writable");
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
