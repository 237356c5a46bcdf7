import Foundation

/// DCE's file names (§15.2): the default `{guild} - {parent} - {channel} [{id}]`, `--output` template tokens,
/// sanitizing, `[part k]` names and relative media paths.
enum OutputPath {
    /// Replaces the characters DCE replaces in file names with `_`.
    static func sanitize(_ name: String) -> String {
        String(name.map { "\0/\\:*?\"<>|".contains($0) ? "_" : $0 })
    }

    static func dateText(_ id: UInt64?, timeZone: DCETimeZone) -> String {
        guard let id else { return "" }
        let time = DCETime(snowflake: id)
        let f = time.fields(offset: timeZone.offset(at: time))
        return String(format: "%04d-%02d-%02d", f.year, f.month, f.day)
    }

    static func defaultName(for info: ChannelInfo, options: DCEExportOptions) -> String {
        var name = info.guildName
        if let parent = info.parentName { name += " - " + parent }
        name += " - \(info.channelName) [\(info.id)]"
        let after = options.after.map { dateText($0, timeZone: options.timeZone) }
        let before = options.before.map { dateText($0, timeZone: options.timeZone) }
        switch (after, before) {
        case (let a?, let b?): name += " (\(a) to \(b))"
        case (let a?, nil): name += " (after \(a))"
        case (nil, let b?): name += " (before \(b))"
        case (nil, nil): break
        }
        return sanitize(name + "." + options.format.fileExtension)
    }

    /// The output path of a channel under `directory`, from the template if one is given.
    static func path(for info: ChannelInfo, directory: String, options: DCEExportOptions) -> String {
        guard let template = options.outputTemplate else {
            return (directory as NSString).appendingPathComponent(defaultName(for: info, options: options))
        }
        var result = ""
        var characters = Array(template)[...]
        while let c = characters.popFirst() {
            guard c == "%", let token = characters.first else {
                result.append(c)
                continue
            }
            let value: String? =
                switch token {
                case "g": info.guildId.map(String.init) ?? "0"
                case "G": info.guildName
                case "t": info.parentId ?? ""
                case "T": info.parentName ?? ""
                case "c": String(info.id)
                case "C": info.channelName
                case "p": String(info.position)
                case "P": String(info.parentPosition)
                case "a": dateText(options.after, timeZone: options.timeZone)
                case "b": dateText(options.before, timeZone: options.timeZone)
                case "d": dateText(DCETimeSnowflake.now(options.now().date), timeZone: options.timeZone)
                case "%": "%"
                default: nil
                }
            if let value {
                result += token == "%" ? "%" : sanitize(value)
                characters.removeFirst()
            } else {
                result.append(c)
            }
        }
        var path = template.hasPrefix("/") ? result : (directory as NSString).appendingPathComponent(result)
        var isDirectory: ObjCBool = false
        if (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
            || (path as NSString).pathExtension.isEmpty
        {
            path = (path as NSString).appendingPathComponent(defaultName(for: info, options: options))
        }
        return path
    }

    /// `chan [1].json` → `chan [1] [part k].json`.
    static func part(_ path: String, _ k: Int) -> String {
        let ext = (path as NSString).pathExtension
        let stem = (path as NSString).deletingPathExtension
        return ext.isEmpty ? "\(stem) [part \(k)]" : "\(stem) [part \(k)].\(ext)"
    }

    /// `target` relative to `directory`, or `target` itself when the relative path would leave the folder.
    static func relative(_ target: String, from directory: String) -> String {
        let base = URL(fileURLWithPath: directory).standardizedFileURL.path
        let full = URL(fileURLWithPath: target).standardizedFileURL.path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : full
    }
}

/// Snowflakes for wall-clock instants.
enum DCETimeSnowflake {
    static func now(_ date: Date) -> UInt64 {
        UInt64(max(0, date.timeIntervalSince1970 * 1000 - 1_420_070_400_000)) << 22
    }
}
