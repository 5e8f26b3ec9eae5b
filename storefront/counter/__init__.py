"""The outlet counter that keeps working offline: the day's pickups kept on the staff's device,
hand-overs queued there with a client id and replayed, once each, when the network is back."""
