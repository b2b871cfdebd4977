//! The module tree of one crate: which file holds which module, found by following `mod`
//! declarations from the crate root the way rustc does (`#[path]`, `mod.rs`, inline modules).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A module path inside its crate, e.g. `["activities", "tickets"]`; the root is empty.
pub type ModPath = Vec<String>;

/// One parsed source file and the module it defines.
pub struct SourceFile {
    pub path: PathBuf,
    pub module: ModPath,
    pub ast: syn::File,
    pub lines: usize,
}

/// Every file of a crate and every module (inline ones map to their file).
pub struct CrateTree {
    pub files: Vec<SourceFile>,
    pub modules: BTreeMap<ModPath, usize>,
}

impl CrateTree {
    /// Loads the crate whose root file is `root` (lib.rs, main.rs, a test or bench file).
    pub fn load(root: &Path) -> CrateTree {
        let mut tree = CrateTree {
            files: Vec::new(),
            modules: BTreeMap::new(),
        };
        tree.load_file(root, Vec::new(), true);
        tree
    }

    fn load_file(&mut self, path: &Path, module: ModPath, owns_dir: bool) {
        let canonical = std::fs::canonicalize(path);
        let path = canonical.as_deref().unwrap_or(path);
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let ast = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()));
        let index = self.files.len();
        self.modules.insert(module.clone(), index);
        let dir = module_dir(path, owns_dir);
        let items = ast.items.clone();
        self.files.push(SourceFile {
            path: path.to_path_buf(),
            module: module.clone(),
            ast,
            lines: text.lines().count(),
        });
        self.load_items(&items, path, &dir, &module, index);
    }

    fn load_items(
        &mut self,
        items: &[syn::Item],
        file: &Path,
        dir: &Path,
        module: &ModPath,
        index: usize,
    ) {
        for item in items {
            let syn::Item::Mod(decl) = item else { continue };
            let mut child = module.clone();
            child.push(decl.ident.to_string());
            match &decl.content {
                Some((_, inner)) => {
                    self.modules.insert(child.clone(), index);
                    let inner_dir = dir.join(decl.ident.to_string());
                    self.load_items(inner, file, &inner_dir, &child, index);
                }
                None => {
                    let (child_file, owns_dir) = match path_attr(decl) {
                        Some(rel) => {
                            let base = file.parent().unwrap_or(Path::new("."));
                            let p = base.join(rel);
                            let owns = p.file_name().is_some_and(|n| n == "mod.rs");
                            (p, owns)
                        }
                        None => find_child(dir, &decl.ident.to_string(), file),
                    };
                    self.load_file(&child_file, child, owns_dir);
                }
            }
        }
    }
}

/// The directory in which a file's child modules live.
fn module_dir(path: &Path, owns_dir: bool) -> PathBuf {
    let parent = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    if owns_dir {
        parent
    } else {
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        parent.join(stem.unwrap_or_default())
    }
}

fn find_child(dir: &Path, name: &str, parent_file: &Path) -> (PathBuf, bool) {
    let flat = dir.join(format!("{name}.rs"));
    if flat.exists() {
        return (flat, false);
    }
    let nested = dir.join(name).join("mod.rs");
    if nested.exists() {
        return (nested, true);
    }
    panic!(
        "module {name} declared in {} has no file",
        parent_file.display()
    );
}

fn path_attr(decl: &syn::ItemMod) -> Option<String> {
    decl.attrs.iter().find_map(|attr| {
        if !attr.path().is_ident("path") {
            return None;
        }
        let syn::Meta::NameValue(nv) = &attr.meta else {
            return None;
        };
        match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        }
    })
}
