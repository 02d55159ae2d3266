//! The dotted module path of a traversal (`ModuleVisitor` / `ModuleMapper`), as burn-store names
//! tensors with enum variants left out: `stages.0.1.layers.0.conv.weight`.

use burn::module::{Module, ModuleVisitor, Param, ParamId};
use burn::tensor::Tensor;

/// Calls `f(path, id, shape)` for every float parameter of `module`, in visiting order; `path`
/// ends with the parameter's own name and `shape` is its declared shape (the tensor itself is
/// not materialised).
pub fn for_each_float<M: Module>(module: &M, f: impl FnMut(&ModulePath, ParamId, Vec<usize>)) {
    struct Walk<F> {
        at: ModulePath,
        f: F,
    }
    impl<F: FnMut(&ModulePath, ParamId, Vec<usize>)> ModuleVisitor for Walk<F> {
        fn enter_module(&mut self, name: &str, container_type: &str) {
            self.at.enter(name, container_type);
        }
        fn exit_module(&mut self, _name: &str, container_type: &str) {
            self.at.exit(container_type);
        }
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            (self.f)(&self.at, param.id, param.lazy_shape().to_vec());
        }
    }
    module.visit(&mut Walk {
        at: ModulePath::default(),
        f,
    });
}

/// The path and the container types entered so far.
#[derive(Debug, Clone, Default)]
pub struct ModulePath {
    names: Vec<String>,
    containers: Vec<String>,
}

impl ModulePath {
    /// `enter_module(name, container_type)`.
    pub fn enter(&mut self, name: &str, container_type: &str) {
        self.containers.push(container_type.to_string());
        if !container_type.starts_with("Enum:") {
            self.names.push(name.to_string());
        }
    }

    /// `exit_module(_, container_type)`.
    pub fn exit(&mut self, container_type: &str) {
        self.containers.pop();
        if !container_type.starts_with("Enum:") {
            self.names.pop();
        }
    }

    /// The path's segments (a parameter's path ends with its own name).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The path, dotted.
    pub fn joined(&self) -> String {
        self.names.join(".")
    }

    /// The innermost struct entered (the module that declares a parameter), e.g. `Struct:Linear`.
    pub fn module_type(&self) -> Option<&str> {
        self.containers
            .iter()
            .rev()
            .find(|c| c.starts_with("Struct:"))
            .map(String::as_str)
    }
}
