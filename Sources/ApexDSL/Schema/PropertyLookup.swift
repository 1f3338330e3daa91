/// What a schema says about a property name, for static checks of expressions such as
/// `steps.classify.output.data.category`.
public enum PropertyLookup: Sendable {
    /// The property may exist. The schema is its shape when it is known: declared in
    /// `properties`, or the `additionalProperties` schema. It is nil when the shape is unknown,
    /// such as when alternatives of `anyOf` declare it differently or the schema declares no
    /// properties at all.
    case known(JSONSchema?)
    /// The property cannot exist: the object is closed (`additionalProperties: false`), in every
    /// alternative of `anyOf`/`oneOf`.
    case absentClosed
    /// The property is not declared but may exist: worth a warning with a did-you-mean over the
    /// candidates (the declared names).
    case absentOpen(candidates: PropertyNames)
    /// The value cannot be an object; the text names what it can be, such as "a string".
    case notAnObject(String)
}
