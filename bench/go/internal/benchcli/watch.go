package benchcli

import (
	"errors"
	"time"
)

// WatchEntryTimeout bounds kv-watch's wait for any one entry.
const WatchEntryTimeout = 30 * time.Second

// CountUntilNil counts the entries a watch's channel hands out before its nil
// ("initial values done") entry. An error when the channel closes first or no
// entry comes within WatchEntryTimeout.
func CountUntilNil[T comparable](updates <-chan T) (int, error) {
	var none T
	received := 0
	for {
		select {
		case e, ok := <-updates:
			if !ok {
				return received, errors.New("the watch ended before catching up")
			}
			if e == none {
				return received, nil
			}
			received++
		case <-time.After(WatchEntryTimeout):
			return received, errors.New("no watch entry in time")
		}
	}
}
