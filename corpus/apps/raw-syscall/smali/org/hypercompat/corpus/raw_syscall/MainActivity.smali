.class public Lorg/hypercompat/corpus/raw_syscall/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"


# direct methods
.method static constructor <clinit>()V
    .registers 1

    const-string v0, "raw"

    invoke-static {v0}, Ljava/lang/System;->loadLibrary(Ljava/lang/String;)V

    return-void
.end method

.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/app/Activity;-><init>()V

    return-void
.end method

# The gettid syscall number of the primary ABI.
.method private static gettidNumber()I
    .registers 3

    sget-object v0, Landroid/os/Build;->SUPPORTED_ABIS:[Ljava/lang/String;

    const/4 v1, 0x0

    aget-object v0, v0, v1

    .local v0, "abi":Ljava/lang/String;
    const-string v1, "arm64"

    invoke-virtual {v0, v1}, Ljava/lang/String;->startsWith(Ljava/lang/String;)Z

    move-result v1

    if-eqz v1, :cond_0

    const/16 v1, 0xb2    # __NR_gettid on arm64

    return v1

    :cond_0
    const-string v1, "x86_64"

    invoke-virtual {v0, v1}, Ljava/lang/String;->equals(Ljava/lang/Object;)Z

    move-result v1

    if-eqz v1, :cond_1

    const/16 v1, 0xba    # __NR_gettid on x86_64

    return v1

    :cond_1
    const/16 v1, 0xe0    # __NR_gettid on arm (EABI)

    return v1
.end method


# virtual methods
.method public native nativeGetPid()I
.end method

.method public native nativeSyscall(IJ)J
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 9
    .param p1, "savedInstanceState"    # Landroid/os/Bundle;

    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V

    invoke-virtual {p0}, Lorg/hypercompat/corpus/raw_syscall/MainActivity;->nativeGetPid()I

    move-result v0

    .local v0, "rawPid":I
    # negative when libc getpid() disagrees with the kernel
    invoke-static {}, Landroid/os/Process;->myPid()I

    move-result v1

    .local v1, "pid":I
    invoke-static {}, Lorg/hypercompat/corpus/raw_syscall/MainActivity;->gettidNumber()I

    move-result v2

    const-wide/16 v3, 0x0

    invoke-virtual {p0, v2, v3, v4}, Lorg/hypercompat/corpus/raw_syscall/MainActivity;->nativeSyscall(IJ)J

    move-result-wide v2

    .local v2, "rawTid":J
    new-instance v4, Ljava/lang/StringBuilder;

    invoke-direct {v4}, Ljava/lang/StringBuilder;-><init>()V

    const-string v5, "getpid via svc/syscall: "

    invoke-virtual {v4, v5}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;

    invoke-virtual {v4, v0}, Ljava/lang/StringBuilder;->append(I)Ljava/lang/StringBuilder;

    if-ne v0, v1, :cond_0

    const-string v5, " (matches Process.myPid)"

    goto :goto_0

    :cond_0
    const-string v5, " (MISMATCH: hooked?)"

    :goto_0
    invoke-virtual {v4, v5}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;

    const-string v5, "\ngettid via runtime syscall number: "

    invoke-virtual {v4, v5}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;

    invoke-virtual {v4, v2, v3}, Ljava/lang/StringBuilder;->append(J)Ljava/lang/StringBuilder;

    new-instance v5, Landroid/widget/TextView;

    invoke-direct {v5, p0}, Landroid/widget/TextView;-><init>(Landroid/content/Context;)V

    invoke-virtual {v4}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;

    move-result-object v6

    invoke-virtual {v5, v6}, Landroid/widget/TextView;->setText(Ljava/lang/CharSequence;)V

    invoke-virtual {p0, v5}, Lorg/hypercompat/corpus/raw_syscall/MainActivity;->setContentView(Landroid/view/View;)V

    return-void
.end method
