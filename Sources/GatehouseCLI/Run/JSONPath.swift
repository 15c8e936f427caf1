import Foundation
import StrictJSON

/// `.a.b[0].c` over a JSON value (docs/scenarios.md).
enum JSONPath {
    enum Component: Equatable {
        case key(String)
        case index(Int)
    }

    static func parse(_ text: String) -> [Component]? {
        guard text.hasPrefix(".") || text.hasPrefix("[") else { return nil }
        var components: [Component] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                guard end != rest.startIndex else { return nil }
                components.append(.key(String(rest[..<end])))
                rest = rest[end...]
            } else if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0 else {
                    return nil
                }
                components.append(.index(index))
                rest = rest[rest.index(after: close)...]
            } else {
                return nil
            }
        }
        return components
    }

    static func evaluate(_ path: [Component], in value: JSONValue?) -> JSONValue? {
        var current = value
        for component in path {
            switch component {
            case .key(let key): current = current?[key]
            case .index(let index):
                guard let array = current?.arrayValue, index < array.count else { return nil }
                current = array[index]
            }
        }
        return current
    }
}
