/// An access chain that starts at a context identifier, for static checking:
/// `steps.classify.output.data['category']` has the root `steps` and the components
/// `classify`, `output`, `data`, `category`.
///
/// A chain stops at its first dynamic component (an index that is not a literal): the path
/// records `.dynamic` there and nothing after it.
public struct AccessPath: Sendable, Hashable {
    public var root: String
    public var rootRange: Range<Int>
    public var components: [Component]

    public init(root: String, rootRange: Range<Int>, components: [Component]) {
        self.root = root
        self.rootRange = rootRange
        self.components = components
    }

    /// One step of the chain. Its range is the accessor as written: `.classify`, `['category']`,
    /// `[0]`, `.*` or `[i]` (from the end of what it reads to its own end).
    public struct Component: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            /// `.name` or `['name']`.
            case name(String)
            /// `[0]` with an integer literal.
            case index(Int)
            /// `.*`.
            case projection
            /// `[expr]` whose value is known only at run time.
            case dynamic
        }

        public var kind: Kind
        public var range: Range<Int>

        public init(kind: Kind, range: Range<Int>) {
            self.kind = kind
            self.range = range
        }
    }
}
