import ArgumentParser

/// The output formats of `apex graph --format`.
enum GraphFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// A Mermaid flowchart: paste it in Markdown (GitHub renders it) or the Mermaid live editor.
    case mermaid
    /// A Graphviz digraph: `apex graph --format dot flow.yaml | dot -Tsvg > flow.svg`.
    case dot
    /// A laid-out SVG image, coloured by status: `apex graph --format svg flow.yaml > flow.svg`.
    case svg
}
