/// An element of a parsed XML document, with names resolved to their namespaces.
public struct XMLElement: Sendable {
    /// The namespace URI of the element ("" when it has none).
    public var namespace: String
    public var name: String
    /// Attributes by local name, for attributes without a prefix.
    public var attributes: [String: String]
    /// Attributes with a prefix, by namespace URI and then local name.
    public var qualifiedAttributes: [String: [String: String]]
    public var children: [XMLElement]
    /// The element's own character data (text and CDATA), concatenated.
    public var text: String
    /// The line of the start tag, for error messages.
    public var line: Int

    public subscript(_ attribute: String) -> String? { attributes[attribute] }

    /// An attribute in a namespace (`zeebe:`, `camunda:` ...), by URI and local name.
    public func attribute(_ name: String, in namespace: String) -> String? { qualifiedAttributes[namespace]?[name] }

    /// The direct children with this local name in this namespace.
    public func children(_ name: String, in namespace: String) -> [XMLElement] {
        children.filter { $0.name == name && $0.namespace == namespace }
    }

    public func child(_ name: String, in namespace: String) -> XMLElement? {
        children.first { $0.name == name && $0.namespace == namespace }
    }
}
