//! The paths a file names (`use` trees, paths in code and in macro bodies), each with the
//! module it is written in, so they can be resolved to the files they point at.

use super::modules::ModPath;
use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

/// A path as written, and the module it is written in.
pub struct Reference {
    pub from: ModPath,
    pub segments: Vec<String>,
}

/// Collects every path of a file's items.
pub fn collect(file: &syn::File, module: &ModPath) -> Vec<Reference> {
    let mut collector = Collector {
        module: module.clone(),
        found: Vec::new(),
    };
    collector.visit_file(file);
    collector.found
}

struct Collector {
    module: ModPath,
    found: Vec<Reference>,
}

impl Collector {
    fn push(&mut self, segments: Vec<String>) {
        if !segments.is_empty() {
            self.found.push(Reference {
                from: self.module.clone(),
                segments,
            });
        }
    }

    fn use_tree(&mut self, prefix: &[String], tree: &syn::UseTree) {
        let mut path = prefix.to_vec();
        match tree {
            syn::UseTree::Path(p) => {
                path.push(p.ident.to_string());
                self.use_tree(&path, &p.tree);
            }
            syn::UseTree::Name(n) if n.ident == "self" => self.push(path),
            syn::UseTree::Name(n) => {
                path.push(n.ident.to_string());
                self.push(path);
            }
            syn::UseTree::Rename(r) => {
                path.push(r.ident.to_string());
                self.push(path);
            }
            syn::UseTree::Glob(_) => self.push(path),
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.use_tree(&path, item);
                }
            }
        }
    }

    fn tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            if let TokenTree::Group(g) = &trees[i] {
                self.tokens(g.stream());
                i += 1;
                continue;
            }
            let (segments, next) = path_at(&trees, i);
            let starts_relative = segments
                .first()
                .is_some_and(|s| s == "crate" || s == "super" || s == "self");
            if starts_relative && segments.len() > 1 {
                self.push(segments);
            }
            i = next.max(i + 1);
        }
    }
}

/// The `a::b::c` path starting at token `i`, and the index after it.
fn path_at(trees: &[TokenTree], mut i: usize) -> (Vec<String>, usize) {
    let mut segments = Vec::new();
    while let Some(TokenTree::Ident(ident)) = trees.get(i) {
        segments.push(ident.to_string());
        let colons = matches!(
            (trees.get(i + 1), trees.get(i + 2)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                if a.as_char() == ':' && b.as_char() == ':'
        );
        if !colons {
            i += 1;
            break;
        }
        i += 3;
    }
    (segments, i)
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if item.content.is_some() {
            self.module.push(item.ident.to_string());
            syn::visit::visit_item_mod(self, item);
            self.module.pop();
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&[], &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.push(segments);
        syn::visit::visit_path(self, path);
    }

    /// `pub(crate)` and `pub(super)` name a scope, not an import.
    fn visit_vis_restricted(&mut self, _vis: &'ast syn::VisRestricted) {}

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        self.tokens(mac.tokens.clone());
    }
}
