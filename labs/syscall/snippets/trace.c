  // There is no trace system call yet.  Once there is, call trace(mask)
  // here, so that the command exec'd below runs traced.
  (void)mask;
