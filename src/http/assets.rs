//! Asset versions: each asset's address carries a hash of its content and,
//! for a JavaScript module, of every module it imports, directly or not, so
//! a module cached for a year never imports a stale one. Modules are served
//! with their relative imports rewritten to those versioned addresses.

use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};

/// Every asset's version (16 hex digits), by its path under `web/`, and
/// each module's source as served (its imports naming their versions),
/// rewritten once here rather than at every request.
pub struct Versions {
    of: HashMap<String, String>,
    modules: HashMap<String, Vec<u8>>,
}

impl Versions {
    /// Versions of `files` (path, content).
    pub fn build(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Self {
        let sources: HashMap<String, Vec<u8>> = files.into_iter().collect();
        let mut of = HashMap::new();
        for name in sources.keys() {
            deep_version(name, &sources, &mut of, &mut BTreeSet::new());
        }
        let mut versions = Self {
            of,
            modules: HashMap::new(),
        };
        for (name, content) in sources.iter().filter(|(n, _)| n.ends_with(".js")) {
            let served = versions.rewrite(name, &String::from_utf8_lossy(content));
            versions.modules.insert(name.clone(), served.into_bytes());
        }
        versions
    }

    /// A module's source as served, if `name` is a module.
    pub fn module(&self, name: &str) -> Option<&[u8]> {
        self.modules.get(name).map(Vec::as_slice)
    }

    pub fn of(&self, name: &str) -> Option<&str> {
        self.of.get(name).map(String::as_str)
    }

    /// A module's source with each relative import naming its version.
    fn rewrite(&self, name: &str, source: &str) -> String {
        let mut out = String::with_capacity(source.len() + 256);
        let mut at = 0;
        for (start, end) in imports(source) {
            let spec = &source[start..end];
            out.push_str(&source[at..end]);
            if let Some(v) = resolve(name, spec).and_then(|target| self.of(&target)) {
                out.push_str("?v=");
                out.push_str(v);
            }
            at = end;
        }
        out.push_str(&source[at..]);
        out
    }
}

fn deep_version(
    name: &str,
    sources: &HashMap<String, Vec<u8>>,
    done: &mut HashMap<String, String>,
    visiting: &mut BTreeSet<String>,
) -> Option<String> {
    if let Some(v) = done.get(name) {
        return Some(v.clone());
    }
    let content = sources.get(name)?;
    let mut hash = Sha256::new();
    hash.update(content);
    if name.ends_with(".js") && visiting.insert(name.to_owned()) {
        let source = String::from_utf8_lossy(content);
        let deps: BTreeSet<String> = imports(&source)
            .into_iter()
            .filter_map(|(s, e)| resolve(name, &source[s..e]))
            .collect();
        for dep in deps {
            if let Some(v) = deep_version(&dep, sources, done, visiting) {
                hash.update(v.as_bytes());
            }
        }
        visiting.remove(name);
    }
    let version: String = hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    done.insert(name.to_owned(), version.clone());
    Some(version)
}

/// Byte ranges of the relative module paths a source imports:
/// `from "./x.js"`, `import "./x.js"` and `import("../x.js")`.
fn imports(source: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for opener in ["from \"", "import \"", "import(\""] {
        let mut from = 0;
        while let Some(i) = source[from..].find(opener) {
            let start = from + i + opener.len();
            from = start;
            let Some(len) = source[start..].find('"') else {
                break;
            };
            let spec = &source[start..start + len];
            if (spec.starts_with("./") || spec.starts_with("../")) && spec.ends_with(".js") {
                found.push((start, start + len));
            }
        }
    }
    found.sort_unstable();
    found
}

/// A relative specifier resolved against the importing file's folder.
fn resolve(importer: &str, spec: &str) -> Option<String> {
    let mut parts: Vec<&str> = importer.split('/').collect();
    parts.pop();
    for part in spec.split('/') {
        match part {
            "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(lib: &str) -> Vec<(String, Vec<u8>)> {
        [
            (
                "pages/a.js",
                "import { x } from \"../lib/x.js\";\n// @ts-check",
            ),
            ("lib/x.js", lib),
            ("lib/y.js", "export const y = 1;"),
            ("i18n/en.js", "export default {};"),
            ("gallery.css", "body {}"),
        ]
        .into_iter()
        .map(|(n, c)| (n.to_owned(), c.as_bytes().to_vec()))
        .collect()
    }

    #[test]
    fn a_module_names_the_versions_of_what_it_imports() {
        let lib = "import { y } from \"./y.js\";\nconst en = () => import(\"../i18n/en.js\");";
        let v = Versions::build(files(lib));
        let x = v.rewrite("lib/x.js", lib);
        assert_eq!(
            x,
            format!(
                "import {{ y }} from \"./y.js?v={}\";\nconst en = () => import(\"../i18n/en.js?v={}\");",
                v.of("lib/y.js").unwrap(),
                v.of("i18n/en.js").unwrap()
            )
        );
        assert_eq!(v.of("gallery.css").unwrap().len(), 16);
    }

    #[test]
    fn a_change_deep_down_changes_every_module_above_it() {
        let before = Versions::build(files("import \"./y.js\";"));
        let mut changed = files("import \"./y.js\";");
        changed[2].1 = b"export const y = 2;".to_vec();
        let after = Versions::build(changed);
        for name in ["lib/y.js", "lib/x.js", "pages/a.js"] {
            assert_ne!(before.of(name), after.of(name), "{name}");
        }
        assert_eq!(before.of("i18n/en.js"), after.of("i18n/en.js"));
    }

    #[test]
    fn import_cycles_end() {
        let v = Versions::build(vec![
            ("a.js".to_owned(), b"import \"./b.js\";".to_vec()),
            ("b.js".to_owned(), b"import \"./a.js\";".to_vec()),
        ]);
        assert!(v.of("a.js").is_some() && v.of("b.js").is_some());
    }
}
