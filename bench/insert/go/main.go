// SPDX-License-Identifier: MIT
// The Go path the reference lake-orm takes on DuckDB: duckdb-go's Appender,
// row by row, inside one transaction. Same table, same rows, same batching as
// bench_insert.c. Prints: name=duckdb-go rows=N seconds=S peak_rss_kb=K
// Usage: bench_insert_go ROWS DIR
package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math/big"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

const batchSize = 10000

type event struct {
	id        int64
	email     string
	country   string
	age       *int32
	createdAt time.Time
	amount    duckdb.Decimal
	note      *string
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench_insert_go:", err)
		os.Exit(1)
	}
}

func main() {
	rows, err := strconv.Atoi(os.Args[1])
	must(err)
	path := os.Args[2] + "/duckdb-go.duckdb"
	os.Remove(path)
	connector, err := duckdb.NewConnector(path, nil)
	must(err)
	db := sql.OpenDB(connector)
	defer db.Close()
	_, err = db.Exec(`CREATE TABLE IF NOT EXISTS "events" ("id" BIGINT NOT NULL, "email" VARCHAR NOT NULL,
		"country" VARCHAR NOT NULL, "age" INTEGER, "created_at" TIMESTAMPTZ NOT NULL,
		"amount" DECIMAL(18,2) NOT NULL, "note" VARCHAR, "_ingest_id" VARCHAR)`)
	must(err)

	countries := []string{"UK", "US", "DE", "FR", "NL", "ES", "IT", "SE"}
	gift := "gift"
	batch := make([]event, batchSize)
	for i := range batch {
		e := &batch[i]
		e.email = fmt.Sprintf("user%d@example.com", i)
		e.country = countries[i%8]
		if i%5 != 0 {
			age := int32(i % 90)
			e.age = &age
		}
		e.amount = duckdb.Decimal{Width: 18, Scale: 2, Value: big.NewInt(int64(i * 37 % 100000))}
		if i%2 == 1 {
			e.note = &gift
		}
	}
	ingest := "01a22da7-0c9d-7244-94b3-0372e6c92cd5"
	base := time.UnixMicro(1700000000000000).UTC()

	ctx := context.Background()
	conn, err := db.Conn(ctx)
	must(err)
	start := time.Now()
	_, err = conn.ExecContext(ctx, "BEGIN TRANSACTION")
	must(err)
	err = conn.Raw(func(raw any) error {
		app, err := duckdb.NewAppenderFromConn(raw.(driver.Conn), "", "events")
		if err != nil {
			return err
		}
		for at := 0; at < rows; at += batchSize {
			n := min(batchSize, rows-at)
			for i := 0; i < n; i++ {
				e := &batch[i]
				e.id = int64(at + i + 1)
				e.createdAt = base.Add(time.Duration(at+i) * time.Millisecond)
				var age, note any
				if e.age != nil {
					age = *e.age
				}
				if e.note != nil {
					note = *e.note
				}
				if err := app.AppendRow(e.id, e.email, e.country, age, e.createdAt, e.amount, note, ingest); err != nil {
					return err
				}
			}
		}
		return app.Close()
	})
	must(err)
	_, err = conn.ExecContext(ctx, "COMMIT")
	must(err)
	seconds := time.Since(start).Seconds()
	var count int
	must(conn.QueryRowContext(ctx, "SELECT count(*) FROM events").Scan(&count))
	if count != rows {
		must(fmt.Errorf("the table holds %d rows, not %d", count, rows))
	}
	conn.Close()
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	var version string
	must(db.QueryRow("SELECT version()").Scan(&version))
	fmt.Printf("name=duckdb-go rows=%d seconds=%.3f peak_rss_kb=%d engine=%s\n", rows, seconds, ru.Maxrss, version)
	os.Remove(path)
}
