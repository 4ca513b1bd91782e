// SPDX-License-Identifier: MIT
// The Go peer: what lake-orm does per record — encoding/json with
// DisallowUnknownFields and a trailing-data check, then validator.Struct.
// Flat user records by default; with --nested, the order events of
// bench/nested_validate (nested.go).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/go-playground/validator/v10"
)

type User struct {
	ID        string     `json:"id" validate:"required,uuid"`
	Email     string     `json:"email" validate:"required,email"`
	Name      string     `json:"name" validate:"required,min=1,max=64"`
	Age       *int32     `json:"age" validate:"omitempty,gte=0,lte=150"`
	Country   string     `json:"country" validate:"required,oneof=UK US DE FR NL ES IT SE"`
	Balance   string     `json:"balance" validate:"required,numeric"`
	CreatedAt time.Time  `json:"created_at" validate:"required"`
	UpdatedAt *time.Time `json:"updated_at"`
}

// decode reads one line strictly into dst (a pointer to a struct) and validates it.
func decode(v *validator.Validate, line []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data")
	}
	return v.Struct(dst)
}

func main() {
	nested := len(os.Args) == 3 && os.Args[1] == "--nested"
	data, err := os.ReadFile(os.Args[len(os.Args)-1])
	if err != nil {
		panic(err)
	}
	var lines [][]byte
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, append([]byte(nil), sc.Bytes()...))
	}
	v := validator.New()
	best, rejected := 0.0, 0
	for pass := 0; pass < 3; pass++ {
		rejected = 0
		start := time.Now()
		for _, l := range lines {
			var dst any
			if nested {
				dst = &Event{}
			} else {
				dst = &User{}
			}
			if decode(v, l, dst) != nil {
				rejected++
			}
		}
		s := time.Since(start).Seconds()
		if best == 0 || s < best {
			best = s
		}
	}
	fmt.Printf("RESULT name=go-encoding-json+validator records=%d seconds=%.6f bytes=%d rejected=%d\n",
		len(lines), best, len(data), rejected)
}
