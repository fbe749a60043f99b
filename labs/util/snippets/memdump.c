// Print the bytes at data as fmt describes (see the top of this file).
void
memdump(char *fmt, char *data)
{
  // Your code here: for each character of fmt, print the next bytes of
  // data on a line of their own.
}
