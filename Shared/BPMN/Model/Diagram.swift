/// Diagram interchange: where each element is drawn, kept so the cartable can draw a process
/// with the live position of its instances.
public struct Diagram: Sendable, Codable {
    public struct Bounds: Sendable, Codable, Hashable {
        public var x, y, width, height: Double
        public init(x: Double, y: Double, width: Double, height: Double) {
            (self.x, self.y, self.width, self.height) = (x, y, width, height)
        }
    }
    public struct Point: Sendable, Codable, Hashable {
        public var x, y: Double
        public init(x: Double, y: Double) { (self.x, self.y) = (x, y) }
    }
    public struct Shape: Sendable, Codable {
        public var elementId: String
        public var bounds: Bounds
        public var isExpanded: Bool?
        public var isHorizontal: Bool?
        public var label: Bounds?
    }
    public struct Edge: Sendable, Codable {
        public var elementId: String
        public var waypoints: [Point]
        public var label: Bounds?
    }
    public struct Plane: Sendable, Codable {
        public var id: String?
        /// The process, collaboration or sub-process the plane shows.
        public var elementId: String?
        public var shapes: [Shape]
        public var edges: [Edge]
    }
    public var planes: [Plane] = []
}
