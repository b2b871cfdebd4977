//! The import graph between the files of one crate, and its circles (strongly connected
//! components of more than one file).

use super::modules::{CrateTree, ModPath};
use super::refs::{collect, Reference};
use std::collections::BTreeSet;

/// Edges `from file -> to file`, by index into `CrateTree::files`.
pub fn edges(tree: &CrateTree) -> BTreeSet<(usize, usize)> {
    let mut edges = BTreeSet::new();
    for (index, file) in tree.files.iter().enumerate() {
        for reference in collect(&file.ast, &file.module) {
            if let Some(target) = resolve(tree, &reference) {
                if target != index {
                    edges.insert((index, target));
                }
            }
        }
    }
    edges
}

/// The file a path points into: the deepest module of the crate it names.
fn resolve(tree: &CrateTree, reference: &Reference) -> Option<usize> {
    let segments = &reference.segments;
    let first = segments.first()?;
    let (mut base, rest): (ModPath, &[String]) = match first.as_str() {
        "crate" => (Vec::new(), &segments[1..]),
        "self" => (reference.from.clone(), &segments[1..]),
        "super" => {
            let mut base = reference.from.clone();
            let mut i = 0;
            while segments.get(i).is_some_and(|s| s == "super") {
                base.pop();
                i += 1;
            }
            (base, &segments[i..])
        }
        _ => {
            let mut child = reference.from.clone();
            child.push(first.clone());
            if !tree.modules.contains_key(&child) {
                return None;
            }
            (reference.from.clone(), &segments[..])
        }
    };
    let mut found = tree.modules.get(&base).copied();
    for segment in rest {
        base.push(segment.clone());
        match tree.modules.get(&base) {
            Some(index) => found = Some(*index),
            None => break,
        }
    }
    found
}

/// Strongly connected components with more than one file (Tarjan's algorithm).
pub fn circles(count: usize, edges: &BTreeSet<(usize, usize)>) -> Vec<Vec<usize>> {
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (a, b) in edges {
        next[*a].push(*b);
    }
    let mut state = Tarjan {
        next,
        index: vec![None; count],
        low: vec![0; count],
        on_stack: vec![false; count],
        stack: Vec::new(),
        counter: 0,
        found: Vec::new(),
    };
    for node in 0..count {
        if state.index[node].is_none() {
            state.visit(node);
        }
    }
    state.found.retain(|c| c.len() > 1);
    state.found
}

struct Tarjan {
    next: Vec<Vec<usize>>,
    index: Vec<Option<usize>>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    counter: usize,
    found: Vec<Vec<usize>>,
}

impl Tarjan {
    fn visit(&mut self, node: usize) {
        self.index[node] = Some(self.counter);
        self.low[node] = self.counter;
        self.counter += 1;
        self.stack.push(node);
        self.on_stack[node] = true;
        for next in self.next[node].clone() {
            match self.index[next] {
                None => {
                    self.visit(next);
                    self.low[node] = self.low[node].min(self.low[next]);
                }
                Some(i) if self.on_stack[next] => self.low[node] = self.low[node].min(i),
                Some(_) => {}
            }
        }
        if Some(self.low[node]) == self.index[node] {
            let mut component = Vec::new();
            while let Some(top) = self.stack.pop() {
                self.on_stack[top] = false;
                component.push(top);
                if top == node {
                    break;
                }
            }
            component.sort();
            self.found.push(component);
        }
    }
}
