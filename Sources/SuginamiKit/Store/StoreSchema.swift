import GRDB

/// The versioned schema. Each migration runs once, in its own transaction, in order.
///
/// R*Tree tables are kept in step with their tables by triggers, so no code path can update a
/// position and forget the index, and a crash can never leave the two apart.
enum StoreSchema {
    /// The identifier of the first migration: a database that has run it is a SuginamiKit store.
    static let firstMigration = "v1: facilities, towns, buildings, status, reports"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(firstMigration) { db in
            try db.execute(
                sql: """
                    CREATE TABLE town (
                        code TEXT PRIMARY KEY NOT NULL CHECK (length(code) = 11),
                        name TEXT NOT NULL,
                        households INTEGER NOT NULL CHECK (households >= 0),
                        population INTEGER NOT NULL CHECK (population >= 0),
                        minLatitude REAL NOT NULL, maxLatitude REAL NOT NULL,
                        minLongitude REAL NOT NULL, maxLongitude REAL NOT NULL,
                        document TEXT NOT NULL
                    );
                    CREATE VIRTUAL TABLE town_rtree USING rtree(id, minLatitude, maxLatitude, minLongitude, maxLongitude);
                    CREATE TRIGGER town_rtree_insert AFTER INSERT ON town BEGIN
                        INSERT INTO town_rtree VALUES (NEW.rowid, NEW.minLatitude, NEW.maxLatitude,
                                                       NEW.minLongitude, NEW.maxLongitude);
                    END;
                    CREATE TRIGGER town_rtree_update AFTER UPDATE ON town BEGIN
                        UPDATE town_rtree SET minLatitude = NEW.minLatitude, maxLatitude = NEW.maxLatitude,
                            minLongitude = NEW.minLongitude, maxLongitude = NEW.maxLongitude WHERE id = NEW.rowid;
                    END;
                    CREATE TRIGGER town_rtree_delete AFTER DELETE ON town BEGIN
                        DELETE FROM town_rtree WHERE id = OLD.rowid;
                    END;

                    CREATE TABLE facility (
                        rowid INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE CHECK (length(id) > 0),
                        kind TEXT NOT NULL,
                        name TEXT NOT NULL,
                        latitude REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
                        longitude REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
                        capacity INTEGER CHECK (capacity IS NULL OR capacity >= 0),
                        sourceID TEXT NOT NULL,
                        document TEXT NOT NULL
                    );
                    CREATE INDEX facility_kind ON facility(kind);
                    \(pointIndex(on: "facility"))

                    CREATE TABLE building (
                        rowid INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE CHECK (length(id) > 0),
                        latitude REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
                        longitude REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
                        structure TEXT NOT NULL,
                        constructionYear INTEGER,
                        floors INTEGER CHECK (floors IS NULL OR floors >= 1),
                        floorArea REAL CHECK (floorArea IS NULL OR floorArea > 0),
                        use TEXT NOT NULL,
                        fireResistance TEXT,
                        seismicRetrofit TEXT NOT NULL,
                        townCode TEXT REFERENCES town(code) ON DELETE SET NULL,
                        isSynthetic INTEGER NOT NULL CHECK (isSynthetic IN (0, 1)),
                        footprint TEXT
                    );
                    CREATE INDEX building_town ON building(townCode);
                    \(pointIndex(on: "building"))

                    CREATE TABLE shelterStatus (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        facilityID TEXT NOT NULL REFERENCES facility(id) ON DELETE CASCADE,
                        state TEXT NOT NULL CHECK (state IN ('open', 'closed', 'full')),
                        occupancy INTEGER CHECK (occupancy IS NULL OR occupancy >= 0),
                        reportedAt TEXT NOT NULL,
                        reportedBy TEXT NOT NULL,
                        document TEXT NOT NULL
                    );
                    CREATE INDEX shelterStatus_facility ON shelterStatus(facilityID, reportedAt);

                    CREATE TABLE damageReport (
                        rowid INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        kind TEXT NOT NULL,
                        latitude REAL NOT NULL,
                        longitude REAL NOT NULL,
                        reportedAt TEXT NOT NULL,
                        verification TEXT NOT NULL,
                        document TEXT NOT NULL
                    );
                    CREATE INDEX damageReport_time ON damageReport(reportedAt);
                    """)
        }
        return migrator
    }

    /// An R*Tree over a table's `latitude`/`longitude` columns, kept in step by triggers.
    static func pointIndex(on table: String) -> String {
        """
        CREATE VIRTUAL TABLE \(table)_rtree USING rtree(id, minLatitude, maxLatitude, minLongitude, maxLongitude);
        CREATE TRIGGER \(table)_rtree_insert AFTER INSERT ON \(table) BEGIN
            INSERT INTO \(table)_rtree VALUES (NEW.rowid, NEW.latitude, NEW.latitude, NEW.longitude, NEW.longitude);
        END;
        CREATE TRIGGER \(table)_rtree_update AFTER UPDATE OF latitude, longitude ON \(table) BEGIN
            UPDATE \(table)_rtree SET minLatitude = NEW.latitude, maxLatitude = NEW.latitude,
                minLongitude = NEW.longitude, maxLongitude = NEW.longitude WHERE id = NEW.rowid;
        END;
        CREATE TRIGGER \(table)_rtree_delete AFTER DELETE ON \(table) BEGIN
            DELETE FROM \(table)_rtree WHERE id = OLD.rowid;
        END;
        """
    }
}
