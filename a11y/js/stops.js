// Mark the tab stops; return how each is described, in order.
return tabStops().map(describe);
