//! The rooms of `src/`: no module imports, directly or through others, a
//! module that imports it back. Every reference counts, whether in a `use`
//! line (groups included) or written inline (`crate::mentions::Found`,
//! `super::pages::Backlinks`). A module may use what its ancestors hold
//! (`crate::to_length`, `super::INDEX_PAGES`): they are its frame, not its
//! peers. Test modules (`#[cfg(test)]` and what follows) are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// A module's path from the crate root, `render::pages`; the root is "".
type Module = String;

/// Every module of the crate under `src`, with the text of its file.
fn modules(src: &Path) -> BTreeMap<Module, String> {
    let mut found = BTreeMap::new();
    for entry in walk(src) {
        let Ok(relative) = entry.strip_prefix(src) else {
            continue;
        };
        if relative.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let mut parts: Vec<String> = relative
            .with_extension("")
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if matches!(
            parts.last().map(String::as_str),
            Some("mod" | "lib" | "main")
        ) {
            parts.pop();
        }
        let text = fs::read_to_string(&entry).unwrap_or_default();
        // The binary is a crate of its own; it may use the library freely.
        if relative == Path::new("main.rs") {
            continue;
        }
        found.insert(parts.join("::"), text);
    }
    found
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// The code of a file without its test module and its comments.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path the code names from `crate::` or `super::`, as written:
/// `use` groups are expanded (`crate::{a, b::{c}}` → `crate::a`,
/// `crate::b::c`), and inline paths are taken as they stand.
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        let rest = &code[i..];
        let starts = ["crate::", "super::"].iter().any(|p| rest.starts_with(p))
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'));
        if !starts {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let len = path_len(rest);
        expand(&rest[..len], &mut out);
        i += len.max(1);
    }
    out
}

/// The length of the path at the start of `text`, with its braces.
fn path_len(text: &str) -> usize {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            c if depth > 0 || c.is_alphanumeric() || c == '_' || c == ':' || c == '*' => {}
            _ => return i,
        }
    }
    text.len()
}

/// `a::{b, c::{d}}` → `a::b`, `a::c::d`.
fn expand(path: &str, out: &mut Vec<String>) {
    let Some(open) = path.find('{') else {
        out.push(path.trim_end_matches("::").to_string());
        return;
    };
    let prefix = &path[..open];
    let inner = &path[open + 1..path.len().saturating_sub(1)];
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                expand(&format!("{prefix}{}", inner[start..i].trim()), out);
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = inner[start..].trim();
    if !last.is_empty() {
        expand(&format!("{prefix}{last}"), out);
    }
}

/// The module a path names from module `from`: the longest known module
/// its words start with.
fn target(path: &str, from: &str, known: &BTreeMap<Module, String>) -> Option<Module> {
    let mut words: Vec<&str> = path.split("::").filter(|w| *w != "self").collect();
    let mut base: Vec<&str> = if from.is_empty() {
        Vec::new()
    } else {
        from.split("::").collect()
    };
    match words.first() {
        Some(&"crate") => {
            base.clear();
            words.remove(0);
        }
        Some(&"super") => {
            while words.first() == Some(&"super") {
                base.pop();
                words.remove(0);
            }
        }
        _ => return None,
    }
    let mut best = None;
    let full: Vec<&str> = base.iter().copied().chain(words).collect();
    for n in 0..=full.len() {
        let name = full[..n].join("::");
        if known.contains_key(&name) {
            best = Some(name);
        }
    }
    best
}

fn is_ancestor(ancestor: &str, of: &str) -> bool {
    ancestor.is_empty() || of.starts_with(&format!("{ancestor}::"))
}

/// Who imports whom, room by room: an import from a module inside room A
/// of a folder into one inside room B of the same folder (rooms being its
/// files and subfolders) is an import of A from B. So `markdown` naming
/// `crate::render::Output` and `render::text` naming `crate::markdown`
/// are `markdown` and `render` importing each other.
fn imports(src: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let known = modules(src);
    let mut graph: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, text) in &known {
        graph.entry(module.clone()).or_default();
        for path in paths(&code(text)) {
            let Some(to) = target(&path, module, &known) else {
                continue;
            };
            if to == *module || is_ancestor(&to, module) || is_ancestor(module, &to) {
                continue;
            }
            let (from_room, to_room) = rooms(module, &to);
            graph.entry(from_room).or_default().insert(to_room);
        }
    }
    graph
}

/// The rooms of their closest common folder that `a` and `b` are in.
fn rooms(a: &str, b: &str) -> (Module, Module) {
    let a: Vec<&str> = a.split("::").collect();
    let b: Vec<&str> = b.split("::").collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    (a[..=common].join("::"), b[..=common].join("::"))
}

/// Every cycle, each as the modules around it, first to last and back.
fn cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    let mut found = Vec::new();
    for start in graph.keys() {
        // The shortest way back to `start`, if any, by breadth first.
        let mut seen: BTreeMap<&Module, &Module> = BTreeMap::new();
        let mut queue: std::collections::VecDeque<&Module> = graph[start].iter().collect();
        for next in &graph[start] {
            seen.insert(next, start);
        }
        while let Some(at) = queue.pop_front() {
            if at == start {
                let mut cycle = vec![start.clone()];
                let mut step = seen[at];
                while step != start {
                    cycle.push(step.clone());
                    step = seen[step];
                }
                cycle.reverse();
                cycle.insert(0, start.clone());
                cycle.pop();
                cycle.push(start.clone());
                // Each cycle once: from its smallest module.
                if cycle.iter().min() == Some(start) {
                    found.push(cycle);
                }
                break;
            }
            for next in graph.get(at).into_iter().flatten() {
                if !seen.contains_key(next) {
                    seen.insert(next, at);
                    queue.push_back(next);
                }
            }
        }
    }
    found
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = imports(&src);
    assert!(graph.len() > 20, "the crate's modules are found: {graph:?}");
    assert!(
        graph["pipeline"].contains("load")
            && graph["render::pages"].contains("render::meta")
            && graph["render"].contains("markdown"),
        "the imports are read: {graph:?}"
    );
    let cycles = cycles(&graph);
    assert!(
        cycles.is_empty(),
        "import cycles between modules (each module imports the next):\n{}",
        cycles
            .iter()
            .map(|c| c.join(" -> "))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The check sees a cycle made by a `use` group in one module and an
/// inline path in the other, and one through `super::`.
#[test]
fn a_planted_cycle_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    fs::create_dir_all(src.join("render")).unwrap();
    fs::write(
        src.join("lib.rs"),
        "pub mod a;\npub mod b;\npub mod render;\n",
    )
    .unwrap();
    fs::write(src.join("a.rs"), "use crate::{c, b::{Thing, other}};\n").unwrap();
    fs::write(
        src.join("b.rs"),
        "// crate::a::not_this, a comment\npub fn f() { crate::a::g() }\n",
    )
    .unwrap();
    fs::write(
        src.join("render/mod.rs"),
        "pub mod x;\npub mod y;\nuse crate::a;\n",
    )
    .unwrap();
    fs::write(
        src.join("render/x.rs"),
        "use super::y::Y;\nuse super::Frame;\n",
    )
    .unwrap();
    fs::write(
        src.join("render/y.rs"),
        "pub struct Y;\n#[cfg(test)]\nmod tests { use crate::render::x; }\n",
    )
    .unwrap();
    let graph = imports(src);
    assert_eq!(
        cycles(&graph),
        [vec!["a".to_string(), "b".to_string(), "a".to_string()]]
    );
    // A module inside a folder and one outside it: the folder's rooms.
    fs::write(src.join("render/y.rs"), "use crate::b::f;\n").unwrap();
    fs::write(
        src.join("b.rs"),
        "pub fn f() -> crate::render::Frame { todo!() }\n",
    )
    .unwrap();
    let found = cycles(&imports(src));
    assert!(
        found.contains(&vec![
            "b".to_string(),
            "render".to_string(),
            "b".to_string()
        ]),
        "{found:?}"
    );
    fs::write(src.join("b.rs"), "pub fn f() {}\n").unwrap();
    // The same through super::, once y imports x back outside its tests.
    fs::write(src.join("render/y.rs"), "pub fn y() { super::x::X }\n").unwrap();
    let found = cycles(&imports(src));
    assert!(
        found.contains(&vec![
            "render::x".to_string(),
            "render::y".to_string(),
            "render::x".to_string()
        ]),
        "{found:?}"
    );
}
