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
        migrator.registerMigration("v2: access tokens, audit log, idempotency, report workflow, public events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE accessToken (
                        id TEXT PRIMARY KEY NOT NULL,
                        secretDigest TEXT NOT NULL UNIQUE CHECK (length(secretDigest) = 64),
                        role TEXT NOT NULL CHECK (role IN ('public', 'staff', 'headquarters', 'admin')),
                        facilityID TEXT,
                        revokedAt TEXT,
                        document TEXT NOT NULL,
                        CHECK ((role = 'staff') = (facilityID IS NOT NULL))
                    );

                    -- Append-only: the triggers refuse edits and deletes made through SQLite, and the
                    -- hash chain finds those made around it.
                    CREATE TABLE auditEntry (
                        sequence INTEGER PRIMARY KEY NOT NULL CHECK (sequence >= 1),
                        payload TEXT NOT NULL,
                        previousHash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE TRIGGER auditEntry_no_update BEFORE UPDATE ON auditEntry BEGIN
                        SELECT RAISE(ABORT, 'the audit log is append-only');
                    END;
                    CREATE TRIGGER auditEntry_no_delete BEFORE DELETE ON auditEntry BEGIN
                        SELECT RAISE(ABORT, 'the audit log is append-only');
                    END;

                    CREATE TABLE idempotencyRecord (
                        tokenID TEXT NOT NULL,
                        key TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        answer TEXT NOT NULL,
                        createdAt REAL NOT NULL,
                        PRIMARY KEY (tokenID, key)
                    );
                    CREATE INDEX idempotencyRecord_age ON idempotencyRecord(createdAt);

                    -- What the public stream sends, numbered, so that a client that reconnects
                    -- with Last-Event-ID is sent what it missed.
                    CREATE TABLE publicEvent (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        type TEXT NOT NULL,
                        data TEXT NOT NULL
                    );

                    -- Reports: the review workflow replaces the verification flag.
                    ALTER TABLE damageReport ADD COLUMN state TEXT NOT NULL DEFAULT 'submitted'
                        CHECK (state IN ('submitted', 'verified', 'published', 'rejected', 'withdrawn'));
                    UPDATE damageReport SET state = CASE verification
                        WHEN 'confirmed' THEN 'verified' WHEN 'rejected' THEN 'rejected' ELSE 'submitted' END;
                    UPDATE damageReport SET document = json_set(
                        json_remove(document, '$.verification', '$.reporterRole', '$.reportedAt'),
                        '$.state', state,
                        '$.authorRole', CASE json_extract(document, '$.reporterRole')
                            WHEN 'resident' THEN 'public' WHEN 'emergency_service' THEN 'headquarters'
                            ELSE 'staff' END,
                        '$.observedAt', json_extract(document, '$.reportedAt'),
                        '$.receivedAt', json_extract(document, '$.reportedAt'),
                        '$.updatedAt', json_extract(document, '$.reportedAt'));
                    ALTER TABLE damageReport DROP COLUMN verification;
                    CREATE INDEX damageReport_state ON damageReport(state);
                    """)
        }
        migrator.registerMigration("v3: report photos") { db in
            try db.execute(
                sql: """
                    CREATE TABLE reportPhoto (
                        reportID TEXT PRIMARY KEY NOT NULL REFERENCES damageReport(id) ON DELETE CASCADE,
                        mediaType TEXT NOT NULL CHECK (mediaType IN ('image/jpeg', 'image/png')),
                        original BLOB NOT NULL,
                        publicCopy BLOB NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v4: people needing support, sealed") { db in
            // Only what filtering needs is in the clear: the id, the centre whose staff may read
            // the person, and when the record must be deleted. Everything personal is sealed
            // (PersonalDataKey), with the id of the key that sealed it.
            try db.execute(
                sql: """
                    CREATE TABLE personNeedingSupport (
                        id TEXT PRIMARY KEY NOT NULL,
                        reliefCentreID TEXT,
                        retainUntil REAL NOT NULL,
                        keyID TEXT NOT NULL,
                        sealed BLOB NOT NULL
                    );
                    CREATE INDEX personNeedingSupport_centre ON personNeedingSupport(reliefCentreID);
                    """)
        }
        migrator.registerMigration("v5: safety checks, sealed") { db in
            // Append-only: a check is never changed, a newer one supersedes it. The state and
            // source are personal (health) data, so sealed as the person is.
            try db.execute(
                sql: """
                    CREATE TABLE safetyCheck (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        personID TEXT NOT NULL REFERENCES personNeedingSupport(id) ON DELETE CASCADE,
                        keyID TEXT NOT NULL,
                        sealed BLOB NOT NULL
                    );
                    CREATE INDEX safetyCheck_person ON safetyCheck(personID);
                    """)
        }
        migrator.registerMigration("v6: households, surveys, certificates and support: the victims' register") { db in
            // Households and certificates print a head's name and address: sealed, with only
            // the ids, the grade and the dates in the clear for finding and counting. Surveys
            // are about dwellings and signed by ward staff: in the clear. Certificate serials
            // are counted per year in their own table, so a number is never given twice, even
            // after the household's records were deleted at the end of their retention.
            try db.execute(
                sql: """
                    CREATE TABLE household (
                        id TEXT PRIMARY KEY NOT NULL,
                        buildingID TEXT NOT NULL,
                        retainUntil REAL NOT NULL,
                        keyID TEXT NOT NULL,
                        sealed BLOB NOT NULL
                    );
                    CREATE INDEX household_building ON household(buildingID);
                    CREATE TABLE damageSurvey (
                        id TEXT PRIMARY KEY NOT NULL,
                        buildingID TEXT NOT NULL,
                        surveyedAt REAL NOT NULL,
                        grade TEXT NOT NULL,
                        document TEXT NOT NULL
                    );
                    CREATE INDEX damageSurvey_building ON damageSurvey(buildingID, surveyedAt);
                    CREATE TABLE resurveyRequest (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        householdID TEXT NOT NULL REFERENCES household(id) ON DELETE CASCADE,
                        keyID TEXT NOT NULL,
                        sealed BLOB NOT NULL
                    );
                    CREATE INDEX resurveyRequest_household ON resurveyRequest(householdID);
                    CREATE TABLE certificate (
                        year INTEGER NOT NULL,
                        serial INTEGER NOT NULL,
                        version INTEGER NOT NULL,
                        householdID TEXT NOT NULL REFERENCES household(id) ON DELETE CASCADE,
                        grade TEXT NOT NULL,
                        keyID TEXT NOT NULL,
                        sealed BLOB NOT NULL,
                        PRIMARY KEY (year, serial, version)
                    );
                    CREATE INDEX certificate_household ON certificate(householdID);
                    CREATE TABLE certificateSerial (
                        year INTEGER PRIMARY KEY NOT NULL,
                        last INTEGER NOT NULL
                    );
                    CREATE TABLE supportApplication (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        householdID TEXT NOT NULL REFERENCES household(id) ON DELETE CASCADE,
                        state TEXT NOT NULL,
                        total INTEGER NOT NULL,
                        document TEXT NOT NULL
                    );
                    CREATE INDEX supportApplication_household ON supportApplication(householdID);
                    """)
        }
        migrator.registerMigration("v7: which fields of a building are assumed") { db in
            // A record says which of its fields were read from a source and which were drawn
            // from priors; a generated record (the only kind before) assumed all of them.
            try db.execute(
                sql: "ALTER TABLE building ADD COLUMN assumedAttributes TEXT NOT NULL DEFAULT ''")
            try db.execute(
                sql: "UPDATE building SET assumedAttributes = ? WHERE isSynthetic = 1",
                arguments: [Building.Attribute.text(Set(Building.Attribute.allCases))])
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
