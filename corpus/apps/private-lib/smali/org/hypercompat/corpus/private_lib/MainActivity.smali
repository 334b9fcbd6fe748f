.class public Lorg/hypercompat/corpus/private_lib/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"


# direct methods
.method static constructor <clinit>()V
    .registers 1

    .line 12
    const-string v0, "private"

    invoke-static {v0}, Ljava/lang/System;->loadLibrary(Ljava/lang/String;)V

    return-void
.end method

.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/app/Activity;-><init>()V

    return-void
.end method


# virtual methods
.method public native readPlatformInfo()Ljava/lang/String;
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 4
    .param p1, "savedInstanceState"    # Landroid/os/Bundle;

    .line 20
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V

    .line 21
    new-instance v0, Landroid/widget/TextView;

    invoke-direct {v0, p0}, Landroid/widget/TextView;-><init>(Landroid/content/Context;)V

    .line 22
    .local v0, "tv":Landroid/widget/TextView;
    invoke-virtual {p0}, Lorg/hypercompat/corpus/private_lib/MainActivity;->readPlatformInfo()Ljava/lang/String;

    move-result-object v1

    invoke-virtual {v0, v1}, Landroid/widget/TextView;->setText(Ljava/lang/CharSequence;)V

    .line 23
    invoke-virtual {p0, v0}, Lorg/hypercompat/corpus/private_lib/MainActivity;->setContentView(Landroid/view/View;)V

    .line 24
    return-void
.end method
