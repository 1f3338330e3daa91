/// Accesses, typed as the evaluator reads them (``ExpressionEvaluator/access(_:depth:)``): on a
/// projection, `.name` and `[i]` apply to each element and skip the elements that lack them,
/// where on a plain value a wrong type is a run-time error.
extension ExpressionTyper {
    func member(_ name: String, of base: Typed) -> Typed {
        switch base.shape.property(name) {
        case .found(let shape): Typed(shape: shape, projected: base.projected)
        // Reported by `unknown-property`; what follows is not checked again.
        case .absent, .alwaysNull: Typed(shape: .unknown, projected: base.projected)
        case .notAnObject: Typed(shape: base.projected ? .unknown : .never, projected: base.projected)
        }
    }

    /// `base[index]` where the index is not a string literal (that is a ``member(_:of:)``).
    func index(_ base: Typed, by index: ValueShape) -> Typed {
        guard let access = IndexAccess(base: base, index: index.kinds) else { return Typed(shape: .never, projected: base.projected) }
        var shape = ValueShape.never
        // A property whose name is known only at run time.
        if access.byName { shape = .unknown }
        if access.byPosition { shape = shape.or(base.shape.element ?? .unknown) }
        return Typed(shape: shape, projected: base.projected)
    }

    func projection(of base: Typed) -> Typed {
        if base.projected { return Typed(shape: base.shape.flattened, projected: true) }
        return Typed(shape: base.shape.members ?? .never, projected: true)
    }
}

/// How `base[index]` may read, from the kinds of the index: a string reads a property, a number
/// an element. On a projection, elements that cannot be read so are skipped; on a plain value,
/// a read that can never work fails at run time (``failure``).
struct IndexAccess {
    /// The index may be a string, and the base an object (or projected elements).
    let byName: Bool
    /// The index may be a number, and the base a list (or projected elements).
    let byPosition: Bool
    /// Why the access always fails, as the evaluator says it; nil when it may work.
    let failure: String?

    /// Nil when either side has no kind at all (an expression that always fails).
    init?(base: ExpressionTyper.Typed, index: ValueKinds) {
        let kinds = base.shape.kinds
        guard !index.isEmpty, !kinds.isEmpty else { return nil }
        let mayBeName = index.contains(.string), mayBePosition = !index.isDisjoint(with: .number)
        byName = mayBeName && (base.projected || kinds.contains(.object) || kinds == .null)
        byPosition = mayBePosition && (base.projected || base.shape.element != nil)
        if byName || byPosition {
            failure = nil
        } else if !mayBeName && !mayBePosition {
            failure = "an index must be a string or an integer, not \(index.phrase)"
        } else if mayBePosition {
            failure = "cannot index \(kinds.phrase) with a number"
        } else {
            failure = "cannot read a property of \(kinds.phrase) with a string index"
        }
    }
}
