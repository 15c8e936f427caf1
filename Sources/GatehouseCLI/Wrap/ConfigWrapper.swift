import StrictJSON

/// The pure part of `wrap` and `unwrap` (SPEC §8): a host's configuration and the wrapped profile's
/// servers in, both changed out. Every entry of every server map becomes a `gatehouse proxy` entry and
/// its original moves, unchanged, into the wrapped profile; entries already wrapped are left alone, so
/// wrapping twice is wrapping once; unwrapping puts the originals back and keeps entries added since.
/// Every other key of the file is kept where it was.
struct ConfigWrapper {
    /// The absolute path of the `gatehouse` binary the entries run.
    let gatehouse: String
    /// The wrapped profile's path (`$XDG_CONFIG_HOME/gatehouse/wrapped/HOST.json`).
    let profilePath: String
    let dialect: HostDialect

    /// What changed.
    struct Outcome {
        var config: JSONObject
        var servers: JSONObject
        /// `location: name` of each entry wrapped or restored.
        var changed: [String] = []
        /// Entries that could not be restored (their original is not in the wrapped profile).
        var missing: [String] = []
    }

    func wrap(config: JSONObject, servers: JSONObject) -> Outcome {
        var outcome = Outcome(config: config, servers: servers)
        transformMaps(&outcome) { name, entry, location, project, outcome in
            guard !isProxyEntry(entry) else { return entry }
            let folder = project.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
            var unique = folder.map { "\(name)@\($0)" } ?? name
            var counter = 2
            let base = unique
            while outcome.servers[unique] != nil {
                unique = "\(base)@\(counter)"
                counter += 1
            }
            outcome.servers[unique] = entry
            outcome.changed.append("\(location): \(name)")
            return proxyEntry(unique)
        }
        return outcome
    }

    func unwrap(config: JSONObject, servers: JSONObject) -> Outcome {
        var outcome = Outcome(config: config, servers: servers)
        transformMaps(&outcome) { name, entry, location, _, outcome in
            guard isProxyEntry(entry), let wrapped = entry["args"]?.arrayValue?.last?.stringValue else { return entry }
            guard let original = outcome.servers[wrapped] else {
                outcome.missing.append("\(location): \(name)")
                return entry
            }
            outcome.servers[wrapped] = nil
            outcome.changed.append("\(location): \(name)")
            return original
        }
        return outcome
    }

    /// `{"command": GATEHOUSE, "args": ["proxy", "--profile", PROFILE, NAME]}` in the host's dialect.
    func proxyEntry(_ name: String) -> JSONValue {
        var entry = JSONObject()
        if dialect.typesEntries { entry["type"] = "stdio" }
        entry["command"] = .string(gatehouse)
        entry["args"] = ["proxy", "--profile", .string(profilePath), .string(name)]
        return .object(entry)
    }

    /// An entry this wrapped profile made (whichever binary path it names).
    func isProxyEntry(_ entry: JSONValue) -> Bool {
        let arguments = entry["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return arguments.first == "proxy" && arguments.contains(profilePath)
    }

    /// One entry's change: (name, entry, location, project path or nil, outcome) → the new entry.
    typealias Change = (String, JSONValue, String, String?, inout Outcome) -> JSONValue

    /// Applies `change` to each entry of each server map, in order.
    private func transformMaps(_ outcome: inout Outcome, _ change: Change) {
        let key = dialect.serverKey
        if case .object(let map)? = outcome.config[key] {
            outcome.config[key] = .object(transform(map, location: key, project: nil, &outcome, change))
        }
        guard dialect.hasProjects, case .object(var projects)? = outcome.config["projects"] else { return }
        for (path, project) in projects {
            guard case .object(var settings) = project, case .object(let map)? = settings[key] else { continue }
            settings[key] = .object(transform(map, location: "projects.\(path).\(key)", project: path, &outcome, change))
            projects[path] = .object(settings)
        }
        outcome.config["projects"] = .object(projects)
    }

    private func transform(_ map: JSONObject, location: String, project: String?, _ outcome: inout Outcome, _ change: Change) -> JSONObject {
        var result = map
        for (name, entry) in map { result[name] = change(name, entry, location, project, &outcome) }
        return result
    }
}
