// SPDX-License-Identifier: MIT
// The Go peer: what lake-orm does per record — encoding/json with
// DisallowUnknownFields and a trailing-data check, then validator.Struct.
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

func decode(v *validator.Validate, line []byte) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	var u User
	if err := dec.Decode(&u); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data")
	}
	return v.Struct(&u)
}

func main() {
	data, err := os.ReadFile(os.Args[1])
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
			if decode(v, l) != nil {
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
