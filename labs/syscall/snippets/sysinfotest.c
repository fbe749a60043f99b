  // There is no sysinfo system call yet.  Once there is, return
  // sysinfo(info) here.
  (void)info;
  return -1;
