import Contracts

/// The element instances of a process instance, in key order. An instance holds a handful of
/// them, so a sorted array beats a hash table: no hashing, one allocation, ordered for free.
public struct ElementTable: Sendable, Equatable {
    public private(set) var values: [ElementInstance] = []

    public init() {}

    init(_ elements: [ElementInstance]) { values = elements.sorted { $0.key < $1.key } }

    public var keys: [Int] { values.map(\.key) }
    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }

    /// Keys only grow, so the newest are at the end: search from there.
    private func index(of key: Int) -> Int? {
        var low = 0, high = values.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let found = values[middle].key
            if found == key { return middle }
            if found < key { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }

    public subscript(key: Int) -> ElementInstance? {
        get { index(of: key).map { values[$0] } }
        set {
            if let existing = index(of: key) {
                if let newValue { values[existing] = newValue } else { values.remove(at: existing) }
            } else if let newValue {
                if let last = values.last, last.key > key {
                    values.insert(newValue, at: values.firstIndex { $0.key > key }!)
                } else {
                    values.append(newValue)
                }
            }
        }
    }

    mutating func reserve(_ count: Int) { values.reserveCapacity(count) }

    /// Takes an element out, moved rather than copied.
    mutating func remove(_ key: Int) -> ElementInstance? {
        guard let index = index(of: key) else { return nil }
        return values.remove(at: index)
    }

    /// Changes one element in place (no copy of its variables).
    mutating func update(_ key: Int, _ change: (inout ElementInstance) -> Void) {
        guard let index = index(of: key) else { return }
        change(&values[index])
    }

    func contains(where predicate: (ElementInstance) -> Bool) -> Bool { values.contains(where: predicate) }

    /// Where an element is, without copying it (the executor's hot path asks this a lot).
    struct Place {
        var key: Int
        var node: Int
        var model: Int
        var scope: Int
        var isBody: Bool
        var isInner: Bool
        var calledModel: Int?
    }

    func place(_ key: Int) -> Place? {
        guard let index = index(of: key) else { return nil }
        let element = values[index]
        return Place(
            key: key, node: element.node, model: element.model, scope: element.scope, isBody: element.multiInstance != nil,
            isInner: element.inner == true, calledModel: element.calledModel)
    }

    func wait(_ key: Int) -> ElementInstance.Wait?? {
        guard let index = index(of: key) else { return nil }
        return .some(values[index].wait)
    }

    /// A variable of one element's own scope.
    func variable(_ name: String, at key: Int) -> JSONValue? {
        guard let index = index(of: key) else { return nil }
        return values[index].variables[name]
    }
}
